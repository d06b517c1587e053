package io.baoinjector.agent.it;

import static io.baoinjector.agent.it.Jvms.AGENT_JAR;
import static io.baoinjector.agent.it.Jvms.agentArg;
import static io.baoinjector.agent.it.Jvms.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sidecar that is up but not ready (OpenBao unreachable: names unresolved) is "not available" to
 * the agent, and one whose long-polls break is retried at the backoff's pace. Forked JVMs against
 * the sidecar's socket API in-process.
 */
@Timeout(300)
class AgentStartingIT {
  static final String CANARY = "canary-start-Pw-9";

  @TempDir Path dir;

  private AppJvm startApp(Path socket, String options, Map<String, String> env) throws Exception {
    return app(Jvms.JDK17, List.of(agentArg(AGENT_JAR, "socket=" + socket + "," + options)), env);
  }

  @Test
  void aStartingSidecarFailsTheStartWithOneLineNamingTheUnresolvedNames() throws Exception {
    Path socket = dir.resolve("agent.sock");
    try (InProcessSidecar sidecar =
            InProcessSidecar.start(socket).starting(List.of("DB_PASSWORD", "API_KEY"));
        AppJvm app = startApp(socket, "wait=1s", Map.of("DB_PASSWORD", "from-real-env"))) {
      assertEquals(1, app.waitFor());
      assertEquals(List.of(), app.remainingStdout(), "main never ran");
      assertEquals(
          "bao-injector agent: sidecar at "
              + socket
              + " is still starting after 1s: 2 names unresolved (DB_PASSWORD, API_KEY)\n",
          app.stderr());
      assertTrue(sidecar.requests().size() >= 2, "retried within wait: " + sidecar.requests());
    }
  }

  /** What sidecars before the 503 answered while OpenBao was unreachable: the app must not run. */
  @Test
  void anEmptyRevisionZeroSnapshotIsNotReadyEither() throws Exception {
    Path socket = dir.resolve("agent.sock");
    try (InProcessSidecar sidecar =
            InProcessSidecar.start(socket).answerLikeAnOldSidecarBeforeItsFirstRound();
        AppJvm app = startApp(socket, "wait=1s", Map.of())) {
      assertEquals(1, app.waitFor());
      assertEquals(List.of(), app.remainingStdout(), "main never ran");
      assertEquals(
          "bao-injector agent: sidecar at "
              + socket
              + " is still starting after 1s: no values yet (revision 0)\n",
          app.stderr());
    }
  }

  @Test
  void withOnUnavailableEnvTheAppRunsOnTheRealEnvironmentUntilTheSidecarIsReady() throws Exception {
    Path socket = dir.resolve("agent.sock");
    try (InProcessSidecar sidecar =
            InProcessSidecar.start(socket).starting(List.of("DB_PASSWORD"));
        AppJvm app =
            startApp(
                socket, "wait=500ms,on-unavailable=env", Map.of("DB_PASSWORD", "from-real-env"))) {
      app.awaitReady();
      assertEquals("from-real-env", app.ask("get DB_PASSWORD"));
      assertEquals(
          "bao-injector agent: sidecar at "
              + socket
              + " is still starting after 500ms: 1 name unresolved (DB_PASSWORD); using the real"
              + " environment until it is ready (on-unavailable=env)\n",
          app.stderr());

      sidecar.set(Map.of("DB_PASSWORD", CANARY));
      app.await("get DB_PASSWORD", CANARY);
      assertEquals(CANARY, app.ask("child DB_PASSWORD"));

      // back to starting (a restart while OpenBao is down): the last values stay
      sidecar.starting(List.of("DB_PASSWORD"));
      app.awaitStderr("lost the sidecar");
      assertEquals(CANARY, app.ask("get DB_PASSWORD"));
      sidecar.set(Map.of("DB_PASSWORD", "canary-after"));
      app.await("get DB_PASSWORD", "canary-after");
      app.close();
      assertEquals(
          List.of(
              "bao-injector agent: sidecar at "
                  + socket
                  + " is still starting after 500ms: 1 name unresolved (DB_PASSWORD); using the"
                  + " real environment until it is ready (on-unavailable=env)",
              "bao-injector agent: reached the sidecar at "
                  + socket
                  + "; serving its values from now on",
              "bao-injector agent: lost the sidecar at "
                  + socket
                  + " (still starting: 1 name unresolved (DB_PASSWORD)); keeping the last values,"
                  + " retrying",
              "bao-injector agent: reached the sidecar at " + socket + " again"),
          app.stderr().lines().toList());
      assertFalse(app.stderr().contains("canary"));
    }
  }

  /**
   * Plain GETs work, every long-poll breaks. The backoff (100 ms doubling to 5 s, each delay in
   * [step/2, step]) may only reset after a long-poll that worked, so the retries spread out: within
   * {@code WINDOW} of the first long-poll there can be at most {@link #maxAttempts} of them.
   * (Resetting on each good plain GET made ~10 lost/reached cycles a second.) A slow machine only
   * makes fewer.
   */
  @Test
  void aSidecarWhoseLongPollsBreakIsRetriedAtTheBackoffsPace() throws Exception {
    long window = 4_000_000_000L; // the 8th attempt needs 5.65 s at the least: 1.6 s of slack
    Path socket = dir.resolve("agent.sock");
    try (InProcessSidecar sidecar =
            InProcessSidecar.start(socket).set(Map.of("DB_PASSWORD", CANARY)).breakLongPolls();
        AppJvm app = startApp(socket, "wait=10s", Map.of())) {
      app.awaitReady();
      assertEquals(CANARY, app.ask("get DB_PASSWORD"));
      // counted on the relay's clock from the first long-poll, once that window has passed whole
      int longPolls = sidecar.countWithin("/v1/env?", window);
      int bound = maxAttempts(window / 1_000_000, 100, 5_000);
      System.out.println(
          "long-polls within 4 s of the first: " + longPolls + " (bound " + bound + ")");
      assertTrue(
          longPolls <= bound,
          longPolls
              + " long-polls in 4 s, the backoff allows "
              + bound
              + ": "
              + sidecar.requests());
      assertTrue(longPolls >= 2, "the long-poll was retried: " + sidecar.requests());
      assertEquals(CANARY, app.ask("get DB_PASSWORD"), "the last values stay");
    }
  }

  /**
   * Attempts possible within {@code windowMillis}: the first, then one after each shortest delay.
   */
  static int maxAttempts(long windowMillis, long min, long max) {
    int attempts = 1;
    long elapsed = 0;
    for (long step = min; ; step = Math.min(max, step * 2)) {
      elapsed += step / 2; // the shortest the jittered delay can be
      if (elapsed > windowMillis) {
        return attempts;
      }
      attempts++;
    }
  }
}
