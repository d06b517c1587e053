package io.baoinjector.sidecar.output.exec;

import io.baoinjector.sidecar.output.OnChange;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotListener;
import io.baoinjector.sidecar.util.Signals;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bao-injector exec -- CMD…}: runs CMD with the mapped names in its environment (see {@link
 * ChildEnvironment} for what is stripped), stdio inherited, signals forwarded, and returns its exit
 * code. Register it with the hub to apply {@code --on-change}; the action runs on its own thread,
 * and only when the environment the child would get actually differs from the one it has.
 */
public final class ExecRunner implements SnapshotListener {
  private static final Logger log = LoggerFactory.getLogger(ExecRunner.class);
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  private final List<String> command;
  private final Set<String> passEnv;
  private final OnChange policy;
  private final Duration stopTimeout;
  private final Map<String, String> realEnv;
  private final ProcessBuilder.Redirect stdout;
  private final ProcessBuilder.Redirect stderr;
  private final boolean trapSignals;
  private final ExecutorService actions;
  private final ChildLauncher launcher = new ChildLauncher();
  private final Object lock = new Object();
  private Process child;
  private Map<String, String> childMapped;

  /** Values for the next child, set by an on-change restart; the run thread starts it. */
  private Map<String, String> restartWith;

  private boolean stopping;
  private int starts;
  private UnaryOperator<Map<String, String>> expand = UnaryOperator.identity();

  public ExecRunner(
      List<String> command, Set<String> passEnv, OnChange policy, Duration stopTimeout) {
    this(
        command,
        passEnv,
        policy,
        stopTimeout,
        System.getenv(),
        ProcessBuilder.Redirect.INHERIT,
        ProcessBuilder.Redirect.INHERIT,
        true);
  }

  ExecRunner(
      List<String> command,
      Set<String> passEnv,
      OnChange policy,
      Duration stopTimeout,
      Map<String, String> realEnv,
      ProcessBuilder.Redirect stdout,
      ProcessBuilder.Redirect stderr,
      boolean trapSignals) {
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException(
          "exec: no command given (bao-injector exec -c FILE -- CMD ARGS…)");
    }
    this.command = List.copyOf(command);
    this.passEnv = Set.copyOf(passEnv);
    this.policy = Objects.requireNonNull(policy, "policy == null");
    if (policy.action() == OnChange.Action.COMMAND) {
      throw new IllegalArgumentException("exec: on-change runs no command; use restart or signal");
    }
    this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout == null");
    this.realEnv = Map.copyOf(realEnv);
    this.stdout = stdout;
    this.stderr = stderr;
    this.trapSignals = trapSignals;
    this.actions =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "bao-injector-exec-on-change");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts the child with {@code initial}'s values, forwards TERM/INT/HUP/USR1/USR2 to it, and
   * blocks until it exits for good (restarts in between are followed). Returns its exit code (128+N
   * when it was killed by signal N, as a shell reports it).
   *
   * <p>Every child is started from the calling thread, which stays here as long as any child runs:
   * the child's parent-death signal (see {@link ChildLauncher}) fires when that thread ends.
   *
   * @throws IOException when CMD cannot be started (not found, not executable, no setpriv)
   */
  public int run(Snapshot initial) throws IOException, InterruptedException {
    // Trap first: a signal that arrives before the child exists must not kill the sidecar and
    // orphan the child; a TERM/INT received meanwhile is passed on as soon as the child runs.
    if (trapSignals) {
      trapSignals();
    }
    synchronized (lock) {
      child = start(initial.revealValues());
      if (stopping) {
        send(child, "TERM");
      }
    }
    while (true) {
      Process p;
      synchronized (lock) {
        p = child;
      }
      int code = p.waitFor();
      synchronized (lock) {
        if (restartWith != null && !stopping) {
          Map<String, String> values = restartWith;
          restartWith = null;
          try {
            child = start(values);
            lock.notifyAll();
            continue;
          } catch (IOException e) {
            log.error("exec: cannot restart {}: {}", command.get(0), e.getMessage());
          }
        }
        stopping = true;
        restartWith = null;
        lock.notifyAll();
        actions.shutdownNow();
        return code;
      }
    }
  }

  private void trapSignals() {
    int suspendResume = Signals.hotSpotSuspendResumeSignal();
    if (suspendResume == Signals.SIGUSR2) {
      // Trapping it would take it from HotSpot, which suspends threads with it (JFR sampling);
      // left alone, a SIGUSR2 from outside crashes the JVM. bin/bao-injector and the image move it.
      log.warn(
          "exec: SIGUSR2 is this JVM's thread suspend signal and is not forwarded; start the"
              + " sidecar with bin/bao-injector or set _JAVA_SR_SIGNUM=39");
      Signals.trap(this::forward, "TERM", "INT", "HUP", "USR1");
    } else {
      Signals.trap(this::forward, "TERM", "INT", "HUP", "USR1", "USR2");
    }
  }

  /** Rewrites the resolved names before each child gets them (env references); before run. */
  public ExecRunner expanding(UnaryOperator<Map<String, String>> expand) {
    this.expand = Objects.requireNonNull(expand, "expand == null");
    return this;
  }

  /**
   * Sends {@code signal} (TERM, INT, HUP...) to the running child; a TERM/INT also stops restarts.
   */
  public void forward(String signal) {
    Process p;
    synchronized (lock) {
      if (signal.equals("TERM") || signal.equals("INT")) {
        stopping = true;
      }
      p = child;
    }
    if (p != null && p.isAlive()) {
      send(p, signal);
    }
  }

  @Override
  public void onSnapshot(Snapshot previous, Snapshot next) {
    if (policy.action() == OnChange.Action.NONE) {
      return;
    }
    Map<String, String> values = next.revealValues();
    try {
      actions.execute(() -> apply(values));
    } catch (RejectedExecutionException e) {
      // the child has exited for good
    }
  }

  private void apply(Map<String, String> values) {
    Process p;
    synchronized (lock) {
      if (child == null || stopping || values.equals(childMapped)) {
        return; // nothing the child sees has changed
      }
      if (policy.action() == OnChange.Action.SIGNAL) {
        childMapped = values;
        log.info(
            "exec: values changed; sending SIG{} to {} (pid {})",
            policy.signal(),
            command.get(0),
            child.pid());
        send(child, policy.signal());
        return;
      }
      log.info("exec: values changed; restarting {} (pid {})", command.get(0), child.pid());
      restartWith = values;
      p = child;
    }
    // run() starts the next child once this one has exited (see there why that thread)
    try {
      terminate(p);
      synchronized (lock) {
        while (restartWith != null && !stopping) {
          lock.wait();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void terminate(Process p) throws InterruptedException {
    p.destroy(); // SIGTERM on Unix
    if (!p.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
      log.warn(
          "exec: {} did not exit within {} of SIGTERM; sending SIGKILL",
          command.get(0),
          stopTimeout);
      p.destroyForcibly();
      p.waitFor();
    }
  }

  private Process start(Map<String, String> mapped) throws IOException {
    Map<String, String> env = ChildEnvironment.build(realEnv, expand.apply(mapped), passEnv);
    ProcessBuilder pb = new ProcessBuilder(launcher.commandLine(command, env));
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.INHERIT).redirectOutput(stdout).redirectError(stderr);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      // the JDK's message repeats the program name: "Cannot run program "x": error=2, ..."
      String m = String.valueOf(e.getMessage());
      int cut = m.indexOf("error=");
      throw new IOException(
          "exec: cannot start " + command.get(0) + ": " + (cut < 0 ? m : m.substring(cut)));
    }
    childMapped = mapped;
    starts++;
    return p;
  }

  private static void send(Process p, String signal) {
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

  /** How many times a child was started (tests). */
  int starts() {
    synchronized (lock) {
      return starts;
    }
  }

  /** The current child's pid, or -1. */
  public long pid() {
    synchronized (lock) {
      return child == null ? -1 : child.pid();
    }
  }
}
