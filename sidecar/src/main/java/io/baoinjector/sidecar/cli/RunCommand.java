package io.baoinjector.sidecar.cli;

import io.baoinjector.sidecar.Sidecar;
import io.baoinjector.sidecar.auth.AuthException;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.output.Output;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.util.Signals;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bao-injector run}: open the outputs (health answers 503 "starting" at once), log in, load,
 * render, print one summary, then keep everything current until SIGTERM/SIGINT. On a signal: stop
 * accepting, finish in-flight requests, revoke only with {@code revoke-on-exit: true}, exit 0.
 *
 * <p>OpenBao being down at startup is not fatal: the sidecar keeps trying on the shared backoff and
 * reports "starting" until every name resolved. A configuration problem in the auth files is fatal
 * (exit 1): waiting cannot fix it.
 */
final class RunCommand {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  private final CommandContext ctx;
  private final SidecarConfig config;
  private final CountDownLatch stop = new CountDownLatch(1);

  RunCommand(CommandContext ctx, SidecarConfig config) {
    this.ctx = ctx;
    this.config = config;
  }

  int call() {
    Signals.trap(sig -> stop.countDown(), "TERM", "INT");
    Sidecar s = new Sidecar(config);
    boolean revoke = false;
    try {
      try {
        s.startFiles(true);
        s.startServer();
      } catch (IOException e) {
        ctx.err().println("bao-injector: " + e.getMessage());
        return 2;
      }
      try {
        s.login();
      } catch (AuthException e) {
        ctx.err().println("bao-injector: login failed: " + e.getMessage());
        return 1;
      } catch (OpenBaoException e) {
        log.warn("login failed: {}; retrying with backoff", e.getMessage());
      }
      s.load();
      s.keepCurrent();
      announceWhenReady(s);
      stop.await();
      log.info("stopping: finishing in-flight requests");
      revoke = config.revokeOnExit();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      s.shutdown(revoke);
    }
  }

  /**
   * Prints the summary once every name resolved and every file is rendered; if that takes longer
   * than 10s, prints a "starting" summary first (what is unresolved, whether OpenBao answers), so a
   * stuck startup explains itself. Returns early on a stop signal.
   */
  private void announceWhenReady(Sidecar s) throws InterruptedException {
    long since = System.nanoTime();
    boolean announcedStarting = false;
    while (!stop.await(100, TimeUnit.MILLISECONDS)) {
      Snapshot now = s.hub().current();
      if (now.ready() && s.filesReady()) {
        ctx.err().println(summary(s, now));
        ctx.err().flush();
        return;
      }
      if (!announcedStarting && System.nanoTime() - since > TimeUnit.SECONDS.toNanos(10)) {
        ctx.err().println(summary(s, now));
        ctx.err().flush();
        announcedStarting = true;
      }
    }
  }

  private String summary(Sidecar s, Snapshot snap) {
    StringBuilder b = new StringBuilder("bao-injector: ");
    b.append(
        snap.ready()
            ? "ready"
            : "starting (not every name resolved or file rendered yet; /v1/health says 503)");
    b.append("; OpenBao ").append(s.client().currentAddress());
    b.append(", auth ").append(s.auth().describe());
    b.append("; ").append(snap.values().size()).append(" variable(s)");
    if (!snap.values().isEmpty()) {
      b.append(" [").append(String.join(", ", snap.values().keySet())).append(']');
    }
    if (!snap.properties().isEmpty()) {
      b.append(", ")
          .append(snap.properties().size())
          .append(" propert")
          .append(snap.properties().size() == 1 ? "y" : "ies")
          .append(" [")
          .append(String.join(", ", snap.properties().keySet()))
          .append(']');
    }
    if (!snap.unresolved().isEmpty()) {
      b.append("; unresolved [").append(String.join(", ", snap.unresolved())).append(']');
    }
    if (snap.stale()) {
      b.append("; OpenBao unreachable, retrying");
    }
    b.append("; outputs: ");
    b.append(
        s.outputs().isEmpty()
            ? "none"
            : s.outputs().stream().map(Output::describe).collect(Collectors.joining(", ")));
    b.append("; revision ").append(snap.revision()).append(", instance ").append(snap.instanceId());
    return b.toString();
  }
}
