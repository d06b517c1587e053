package io.baoinjector.sidecar;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.auth.AuthException;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.TokenInvalidException;
import io.baoinjector.sidecar.output.OnChange;
import io.baoinjector.sidecar.output.exec.EnvReferences;
import io.baoinjector.sidecar.output.exec.ExecRunner;
import io.baoinjector.sidecar.output.file.FileOutput;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.source.AccessCheck;
import io.baoinjector.sidecar.source.StoreCheck;
import io.baoinjector.sidecar.util.Signals;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each command does with a loaded config, and in which order: the one place that knows the
 * lifecycle. Each method builds a {@link Pipeline}, starts the parts its command needs, and returns
 * the exit code (0 ok, 1 runtime failure, 2 a bad destination or listener); failures are one line
 * on {@code err}, never with a secret value. Only {@link #run()} may revoke its token, and only
 * with {@code revoke-on-exit: true}.
 */
public final class Sidecar {
  private static final Logger log = LoggerFactory.getLogger(Sidecar.class);

  private final SidecarConfig config;
  private final PrintStream out;
  private final PrintStream err;

  /**
   * @param out command output ({@code check --online}'s report)
   * @param err messages: failures, warnings, the ready summary
   */
  public Sidecar(SidecarConfig config, PrintStream out, PrintStream err) {
    this.config = Objects.requireNonNull(config, "config == null");
    this.out = Objects.requireNonNull(out, "out == null");
    this.err = Objects.requireNonNull(err, "err == null");
  }

  /**
   * {@code run}: open the outputs (health answers 503 "starting" at once), log in, load, keep
   * everything current, print one summary when ready, until SIGTERM/SIGINT (SIGHUP re-reads every
   * KV path now). On SIGTERM/SIGINT: stop accepting, finish in-flight requests, revoke only with
   * {@code revoke-on-exit: true}, exit 0.
   *
   * <p>OpenBao being down at startup is not fatal: the sidecar keeps trying on the shared backoff
   * and reports "starting" until every name resolved, or, with {@code cache:}, serves the cached
   * values stale (ready) until OpenBao answers. A configuration problem in the auth files is fatal
   * (exit 1): waiting cannot fix it.
   */
  public int run() {
    CountDownLatch stop = new CountDownLatch(1);
    Signals.trap(sig -> stop.countDown(), "TERM", "INT");
    Pipeline s = new Pipeline(config);
    Signals.trap(sig -> s.refreshOnSignal(), "HUP"); // else the JVM's default: exit 129
    boolean revoke = false;
    try {
      try {
        s.startFiles(true);
        s.startCache();
        s.startServer();
      } catch (IOException e) {
        err.println("bao-injector: " + e.getMessage());
        return 2;
      }
      try {
        s.login();
      } catch (AuthException e) {
        err.println("bao-injector: login failed: " + e.getMessage());
        return 1;
      } catch (OpenBaoException e) {
        log.warn("login failed: {}; retrying with backoff", e.getMessage());
      }
      s.load();
      s.keepCurrent();
      RunSummary.announceWhenReady(s, stop, err);
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

  /** {@code render}: log in, fetch, write every file once; never revokes the token. */
  public int renderOnce() {
    try (Pipeline s = new Pipeline(config.keepingSecretIdFile())) {
      List<FileOutput> files;
      try {
        files = s.startFiles(false);
      } catch (IOException e) {
        err.println("bao-injector: " + e.getMessage());
        return 2;
      }
      Snapshot snap = loginAndLoad(s, EnvReferences.NONE);
      if (snap == null) {
        return 1;
      }
      try {
        for (FileOutput f : files) {
          f.render(snap);
        }
      } catch (IOException e) {
        err.println("bao-injector: render: " + e.getMessage());
        return 1;
      }
      int props = snap.properties().size();
      err.println(
          "bao-injector: rendered %s file(s) with %s name(s) and %s propert%s"
              .formatted(files.size(), snap.values().size(), props, props == 1 ? "y" : "ies"));
      return 0;
    }
  }

  /**
   * {@code exec}: run {@code command} with the mapped variables, minus the sidecar's credentials
   * except {@code pass}; keeps the values current only when {@code onChange} acts on them. With
   * {@code env-references: true} its environment's references are resolved too ({@link
   * EnvReferences}; a bad one is exit 2). Returns the child's exit code (127 when it cannot start).
   */
  public int exec(List<String> command, Set<String> pass, OnChange onChange, ExecRunner.Options o) {
    EnvReferences refs;
    try {
      refs = EnvReferences.scan(config, System.getenv());
    } catch (EnvReferences.Rejected e) {
      return rejected(e);
    }
    try (Pipeline s = new Pipeline(refs.addTo(config))) {
      Snapshot snap = loginAndLoad(s, refs);
      if (snap == null) {
        return 1;
      }
      ExecRunner runner =
          new ExecRunner(command, pass, onChange, ExecRunner.DEFAULT_STOP_TIMEOUT, o)
              .expanding(refs::expand);
      s.hub.addListener(runner);
      if (onChange.action() != OnChange.Action.NONE) {
        s.keepCurrent();
      }
      return runner.runReporting(snap, err);
    } catch (EnvReferences.Rejected e) {
      return rejected(e); // the pipeline is closed: nothing is logged after these lines
    }
  }

  private int rejected(EnvReferences.Rejected e) {
    e.lines().forEach(l -> err.println("bao-injector: " + l));
    return 2;
  }

  /**
   * {@code env}: log in and resolve every name once; never revokes the token. Empty when that
   * failed (one line on {@code err} already says why).
   */
  public Optional<Map<String, String>> resolveOnce() {
    try (Pipeline s = new Pipeline(config.keepingSecretIdFile())) {
      return Optional.ofNullable(loginAndLoad(s, EnvReferences.NONE)).map(Snapshot::revealValues);
    }
  }

  /**
   * {@code check --online}: print OpenBao's health, log in, ask {@code sys/capabilities-self}
   * whether the token can read every mapped path (reading nothing). 0 when every path is readable,
   * 1 otherwise. Never revokes the token.
   */
  public int check() {
    SidecarConfig c = config.keepingSecretIdFile();
    try (Pipeline s = new Pipeline(c)) {
      try {
        JsonNode h = s.client.health();
        out.printf(
            "OpenBao %s: version %s, sealed %s, standby %s%n",
            s.client.currentAddress(),
            h.path("version").asText("?"),
            h.path("sealed").asBoolean(),
            h.path("standby").asBoolean());
      } catch (OpenBaoException e) {
        err.println("bao-injector: OpenBao unreachable: " + e.getMessage());
        return 1;
      }
      try {
        s.login();
      } catch (AuthException | OpenBaoException e) {
        err.println("bao-injector: login failed: " + e.getMessage());
        return 1;
      }
      s.tokens.current().ifPresent(t -> out.printf("login ok: %s, policies %s%n", t, t.policies()));
      List<AccessCheck.Result> results;
      try {
        results = AccessCheck.run(c, s.client, s.tokens);
      } catch (OpenBaoException e) {
        err.println("bao-injector: cannot check capabilities: " + e.getMessage());
        return 1;
      }
      List<StoreCheck.Result> stores = StoreCheck.run(c, s.backends);
      results.forEach(r -> out.println(r.line()));
      stores.forEach(r -> out.println(r.line()));
      long denied = results.stream().filter(r -> !r.readable()).count();
      long failed = stores.stream().filter(r -> r.problem() != null).count();
      if (denied + failed > 0) {
        err.println(
            "bao-injector: "
                + (denied > 0 ? "the token cannot read " + denied + " path(s)" : "")
                + (denied > 0 && failed > 0 ? "; " : "")
                + (failed > 0 ? failed + " secret(s) of other stores cannot be read" : ""));
        return 1;
      }
      out.println("every mapped path is readable");
      return 0;
    }
  }

  /**
   * Logs in, checks {@code refs}' paths, and loads every secret once. Prints one line and returns
   * null when that fails or a name stays unresolved (with the names, never values).
   */
  private Snapshot loginAndLoad(Pipeline s, EnvReferences refs) {
    String failure = null;
    Snapshot snap = null;
    try {
      s.login();
      refs.checkAccess(config, s.client, s.tokens); // may throw Rejected: exec's exit 2
      snap = s.load();
      if (s.refresher.outage().isPresent()) {
        OpenBaoException outage = s.refresher.outage().get();
        failure =
            (outage instanceof TokenInvalidException
                    ? "OpenBao refused the token: "
                    : "OpenBao unreachable: ")
                + outage.getMessage();
      } else if (!snap.unresolved().isEmpty()) {
        failure =
            "could not resolve "
                + String.join(", ", snap.unresolved())
                + " (see the warnings above; `bao-injector check --online` names the paths the"
                + " token cannot read)";
      }
    } catch (AuthException | OpenBaoException e) {
      failure = "login failed: " + e.getMessage();
    }
    if (failure == null) {
      return snap;
    }
    // Stop the background login/renewal first, so nothing is logged after the error line.
    s.close();
    err.println("bao-injector: " + failure);
    return null;
  }
}
