package io.baoinjector.agent.it;

import static io.baoinjector.agent.it.Jvms.AGENT_JAR;
import static io.baoinjector.agent.it.Jvms.agentArg;
import static io.baoinjector.agent.it.Jvms.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent over the socket API, in forked JVMs, against the sidecar's socket API in-process. */
@Timeout(300)
class AgentSocketIT {
  static final String CANARY = "canary-Pw-9'x\"y\\z é";
  static final String ROTATED = "canary-rotated-2";

  @TempDir Path dir;

  private AppJvm start(Path socket, String extraOptions, Map<String, String> env) throws Exception {
    String options = "socket=" + socket + (extraOptions.isEmpty() ? "" : "," + extraOptions);
    AppJvm app =
        app(Jvms.JDK17, List.of(agentArg(AGENT_JAR, options), "-Ddb.password=original"), env);
    app.awaitReady();
    return app;
  }

  @Test
  void getenvTheMapChildrenAndPropertiesSeeTheSidecarsValues() throws Exception {
    Path socket = dir.resolve("agent.sock");
    try (InProcessSidecar sidecar =
            InProcessSidecar.start(socket)
                .set(
                    Map.of("DB_PASSWORD", CANARY, "DB_USER", "managed-user"),
                    Map.of("db.password", CANARY));
        AppJvm app = start(socket, "", Map.of("DB_USER", "real-user", "PLAIN_VAR", "plain"))) {
      assertEquals(CANARY, app.ask("get DB_PASSWORD"));
      assertEquals("managed-user", app.ask("get DB_USER"), "managed names override the real env");
      assertEquals("plain", app.ask("get PLAIN_VAR"), "unmanaged names pass through");
      assertEquals("null", app.ask("get NOT_SET_ANYWHERE"));
      assertEquals("true", app.ask("same"), "System.getenv() is one instance");
      assertEquals(CANARY, app.ask("mapget DB_PASSWORD"));
      assertEquals("plain", app.ask("mapget PLAIN_VAR"));
      assertEquals("true/true/true", app.ask("has DB_PASSWORD"));
      assertEquals("[DB_PASSWORD, DB_USER]", app.ask("keys DB_"));
      assertEquals("readonly", app.ask("readonly"));
      assertEquals(CANARY, app.ask("child DB_PASSWORD"), "ProcessBuilder without environment()");
      assertEquals("managed-user", app.ask("child DB_USER"));
      assertEquals(CANARY, app.ask("childenv DB_PASSWORD"), "ProcessBuilder with environment()");
      assertEquals(CANARY, app.ask("exec DB_PASSWORD"), "Runtime.exec(String[])");
      assertEquals("managed-user", app.ask("execstr DB_USER"), "Runtime.exec(String)");
      assertEquals("plain", app.ask("child PLAIN_VAR"));
      assertEquals(CANARY, app.ask("prop db.password"), "properties: as system properties");
      assertEquals("/v1/env", sidecar.requests().get(0));
      app.close();
      assertEquals("", app.stderr(), "no warnings on a healthy start");
    }
  }

  @Test
  void rotationsAndAGrowingOrShrinkingSetAreSeenLive() throws Exception {
    Path socket = dir.resolve("agent.sock");
    try (InProcessSidecar sidecar =
            InProcessSidecar.start(socket)
                .set(Map.of("DB_PASSWORD", CANARY), Map.of("db.password", CANARY));
        AppJvm app = start(socket, "", Map.of())) {
      assertEquals(CANARY, app.ask("get DB_PASSWORD"));
      int size = Integer.parseInt(app.ask("size"));

      sidecar.set(Map.of("DB_PASSWORD", ROTATED, "NEW_KEY", "new"), Map.of("db.password", ROTATED));
      app.await("get DB_PASSWORD", ROTATED);
      assertEquals(ROTATED, app.ask("mapget DB_PASSWORD"));
      assertEquals(ROTATED, app.ask("child DB_PASSWORD"));
      assertEquals(ROTATED, app.ask("prop db.password"));
      assertEquals("new", app.ask("get NEW_KEY"));
      assertEquals("true/true/true", app.ask("has NEW_KEY"));
      assertEquals(String.valueOf(size + 1), app.ask("size"));

      sidecar.set(Map.of("NEW_KEY", "new"), Map.of());
      app.await("get DB_PASSWORD", "null");
      assertEquals("false/false/false", app.ask("has DB_PASSWORD"));
      assertEquals(String.valueOf(size), app.ask("size"));
      assertEquals("", app.ask("child DB_PASSWORD"));
      assertEquals("original", app.ask("prop db.password"), "an unmanaged property is restored");
      assertEquals("true", app.ask("same"));
      assertTrue(
          sidecar.requests().stream()
              .anyMatch(
                  r ->
                      r.matches("/v1/env\\?after=\\d+&instance=" + sidecar.instance + "&wait=30s")),
          sidecar.requests().toString());
      app.close();
      assertEquals("", app.stderr());
    }
  }

  @Test
  void aRestartedSidecarKeepsTheLastValuesThenServesTheNewInstancesWhole() throws Exception {
    Path socket = dir.resolve("agent.sock");
    InProcessSidecar first =
        InProcessSidecar.start(socket)
            .advanceTo(10)
            .set(Map.of("DB_PASSWORD", CANARY, "OLD_ONLY", "old"));
    try (AppJvm app = start(socket, "", Map.of())) {
      assertEquals(CANARY, app.ask("get DB_PASSWORD"));
      first.close();
      // the app keeps serving the last values while the sidecar is gone
      app.await("get DB_PASSWORD", CANARY);
      app.awaitStderr("lost the sidecar");
      assertEquals(CANARY, app.ask("get DB_PASSWORD"));
      assertEquals("old", app.ask("get OLD_ONLY"));

      // a new instance starts over at a lower revision: its snapshot replaces the old one whole
      try (InProcessSidecar second =
          InProcessSidecar.start(socket).set(Map.of("DB_PASSWORD", ROTATED))) {
        app.await("get DB_PASSWORD", ROTATED);
        assertEquals("null", app.ask("get OLD_ONLY"));
        assertEquals(ROTATED, app.ask("child DB_PASSWORD"));
        app.close();
        String stderr = app.stderr();
        assertTrue(stderr.startsWith("bao-injector agent: lost the sidecar at " + socket), stderr);
        assertTrue(
            stderr.contains("bao-injector agent: reached the sidecar at " + socket + " again"),
            stderr);
        assertFalse(stderr.contains("canary"), "no value in messages");
        assertEquals(2, stderr.lines().count(), stderr);
      }
    }
  }

  @Test
  void aHungSidecarIsAbandonedByTheWatchdogAndRetried() throws Exception {
    Path socket = dir.resolve("agent.sock");
    try (InProcessSidecar sidecar =
            InProcessSidecar.start(socket).set(Map.of("DB_PASSWORD", CANARY)).hang(1);
        AppJvm app = start(socket, "wait=120s", Map.of())) {
      // the first GET /v1/env never got an answer; the watchdog closed it and the retry worked
      assertEquals(CANARY, app.ask("get DB_PASSWORD"));
      assertEquals(List.of("/v1/env", "/v1/env"), sidecar.requests().subList(0, 2));
      app.close();
      assertEquals("", app.stderr(), "a retry before the first snapshot is silent");
    }
  }

  @Test
  void childrenFalseKeepsValuesOutOfChildProcesses() throws Exception {
    Path socket = dir.resolve("agent.sock");
    try (InProcessSidecar sidecar =
            InProcessSidecar.start(socket).set(Map.of("DB_PASSWORD", CANARY));
        AppJvm app = start(socket, "children=false", Map.of("DB_PASSWORD", "from-real-env"))) {
      assertEquals(CANARY, app.ask("get DB_PASSWORD"));
      assertEquals("from-real-env", app.ask("child DB_PASSWORD"));
      assertEquals("from-real-env", app.ask("childenv DB_PASSWORD"));
      assertEquals("from-real-env", app.ask("exec DB_PASSWORD"));
    }
  }

  @Test
  void anAbsentSidecarFailsTheStartWithOneLine() throws Exception {
    Path socket = dir.resolve("agent.sock");
    try (AppJvm app =
        app(Jvms.JDK17, List.of(agentArg(AGENT_JAR, "socket=" + socket + ",wait=1s")), Map.of())) {
      assertEquals(1, app.waitFor());
      assertEquals(List.of(), app.remainingStdout(), "main never ran");
      assertEquals(
          "bao-injector agent: sidecar not reachable at " + socket + " after 1s\n", app.stderr());
    }
  }

  @Test
  void anAbsentSidecarWithOnUnavailableEnvRunsOnTheRealEnvironmentUntilItComes() throws Exception {
    Path socket = dir.resolve("agent.sock");
    try (AppJvm app =
        app(
            Jvms.JDK17,
            List.of(agentArg(AGENT_JAR, "socket=" + socket + ",wait=500ms,on-unavailable=env")),
            Map.of("DB_PASSWORD", "from-real-env"))) {
      app.awaitReady();
      assertEquals("from-real-env", app.ask("get DB_PASSWORD"));
      assertEquals("from-real-env", app.ask("child DB_PASSWORD"));
      assertEquals(
          "bao-injector agent: sidecar not reachable at "
              + socket
              + " after 500ms; using the real environment until it is (on-unavailable=env)\n",
          app.stderr());
      try (InProcessSidecar sidecar =
          InProcessSidecar.start(socket).set(Map.of("DB_PASSWORD", CANARY))) {
        app.await("get DB_PASSWORD", CANARY);
        assertEquals(CANARY, app.ask("child DB_PASSWORD"));
      }
    }
  }

  @Test
  void theDefaultSocketComesFromBaoInjectorSocket() throws Exception {
    Path socket = dir.resolve("env.sock");
    try (InProcessSidecar sidecar =
            InProcessSidecar.start(socket).set(Map.of("DB_PASSWORD", CANARY));
        AppJvm app =
            app(
                Jvms.JDK17,
                List.of(agentArg(AGENT_JAR, "")),
                Map.of("BAO_INJECTOR_SOCKET", socket.toString()))) {
      app.awaitReady();
      assertEquals(CANARY, app.ask("get DB_PASSWORD"));
    }
    assertFalse(Files.exists(socket));
  }

  @Test
  void badOptionsExitWithOneLineNamingTheOption() throws Exception {
    try (AppJvm app =
        app(Jvms.JDK17, List.of(agentArg(AGENT_JAR, "sokcet=/x,wait=1s")), Map.of())) {
      assertEquals(2, app.waitFor());
      assertEquals(
          "bao-injector agent: unknown option 'sokcet'; known: socket, file, properties-file, wait,"
              + " on-unavailable, children, config-placeholders, spring-refresh, pools\n",
          app.stderr());
    }
  }
}
