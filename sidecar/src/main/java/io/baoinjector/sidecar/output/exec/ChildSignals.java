package io.baoinjector.sidecar.output.exec;

import io.baoinjector.sidecar.util.Signals;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Signals between the sidecar, its exec child and whoever signals the sidecar. */
final class ChildSignals {
  private static final Logger log = LoggerFactory.getLogger(ChildSignals.class);

  private ChildSignals() {}

  /** Traps TERM/INT/HUP/USR1/USR2 for the sidecar, handing each to {@code forward}. */
  static void trap(Consumer<String> forward) {
    int suspendResume = Signals.hotSpotSuspendResumeSignal();
    if (suspendResume == Signals.SIGUSR2) {
      // Trapping it would take it from HotSpot, which suspends threads with it (JFR sampling);
      // left alone, a SIGUSR2 from outside crashes the JVM. bin/bao-injector and the image move it.
      log.warn(
          "exec: SIGUSR2 is this JVM's thread suspend signal and is not forwarded; start the"
              + " sidecar with bin/bao-injector or set _JAVA_SR_SIGNUM=39");
      Signals.trap(forward, "TERM", "INT", "HUP", "USR1");
    } else {
      Signals.trap(forward, "TERM", "INT", "HUP", "USR1", "USR2");
    }
  }

  static void send(Process p, String signal) {
    if (signal.equals("TERM")) {
      p.destroy();
      return;
    }
    try {
      // The JDK can only send TERM and KILL; kill(1) sends the rest.
      Process k =
          new ProcessBuilder("kill", "-s", signal, Long.toString(p.pid())).inheritIO().start();
      if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
        log.warn("exec: could not send SIG{} to pid {}", signal, p.pid());
      }
    } catch (IOException e) {
      log.warn("exec: could not send SIG{} to pid {}: {}", signal, p.pid(), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM, and SIGKILL if {@code p} is still running after {@code timeout}. */
  static void terminate(Process p, Duration timeout, String program) throws InterruptedException {
    p.destroy(); // SIGTERM on Unix
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      log.warn("exec: {} did not exit within {} of SIGTERM; sending SIGKILL", program, timeout);
      p.destroyForcibly();
      p.waitFor();
    }
  }
}
