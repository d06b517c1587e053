package io.baoinjector.agent.it;

import static io.baoinjector.agent.it.Jvms.AGENT_JAR;
import static io.baoinjector.agent.it.Jvms.agentArg;
import static io.baoinjector.agent.it.Jvms.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.Await;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.TokenConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain for real: OpenBao dev server → the sidecar process → an application JVM with the
 * agent. A rotation with {@code bao kv put} reaches {@code System.getenv} in the running app; a
 * crashed and restarted sidecar costs the app nothing but a pause in updates.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(300)
class RealSidecarIT {
  static final String CANARY = "canary-real-'pw\"$x";

  @TempDir Path work;

  private Path config(OpenBao bao, TmpfsDir t) throws Exception {
    Path cfg = work.resolve("sidecar.yaml");
    Files.writeString(
        cfg,
        TokenConfig.yaml(
            bao.address(),
            """
              DB_USER: secret/app/db#username
              DB_PASSWORD: secret/app/db#password
            env-from:
              - path: secret/app/extra
            properties:
              db.password: secret/app/db#password
            refresh:
              interval: 1s
            outputs:
              socket:
                path: %s
            """
                .formatted(t.resolve("agent.sock"))));
    return cfg;
  }

  @Test
  void aRotationInOpenBaoReachesTheRunningAppAndASidecarRestartLosesNothing(OpenBao bao)
      throws Exception {
    bao.put("app/db", Map.of("username", "app", "password", CANARY));
    bao.put("app/extra", Map.of("FEATURE_KEY", "f1"));
    try (TmpfsDir t = new TmpfsDir()) {
      Path cfg = config(bao, t);
      Path sock = t.resolve("agent.sock");
      Map<String, String> env = Map.of("BAO_TOKEN", bao.rootToken());
      SidecarProcess sidecar = SidecarProcess.start(work, env, "run", "-c", cfg.toString());
      try {
        sidecar.awaitReady(sock);
        try (AppJvm app =
            app(
                Jvms.JDK17,
                List.of(agentArg(AGENT_JAR, "socket=" + sock)),
                Map.of("DB_USER", "from-the-real-env", "PLAIN", "plain"))) {
          app.awaitReady();
          assertEquals(CANARY, app.ask("get DB_PASSWORD"));
          assertEquals("app", app.ask("get DB_USER"), "the sidecar's value wins");
          assertEquals("plain", app.ask("get PLAIN"));
          assertEquals(CANARY, app.ask("mapget DB_PASSWORD"));
          assertEquals("f1", app.ask("get FEATURE_KEY"), "env-from keys");
          assertEquals(CANARY, app.ask("child DB_PASSWORD"), "a ProcessBuilder child");
          assertEquals(CANARY, app.ask("prop db.password"), "properties: as system properties");

          // rotate in OpenBao: the running app sees it, no restart
          bao.put("app/db", Map.of("username", "app", "password", "rotated-1"));
          app.await("get DB_PASSWORD", "rotated-1");
          app.await("prop db.password", "rotated-1");
          assertEquals("rotated-1", app.ask("child DB_PASSWORD"));

          // env-from grows and shrinks live
          bao.put("app/extra", Map.of("FEATURE_KEY", "f1", "NEW_KEY", "n1"));
          app.await("get NEW_KEY", "n1");
          bao.put("app/extra", Map.of("NEW_KEY", "n1"));
          app.await("get FEATURE_KEY", "null");

          // the sidecar crashes: the agent notices, and the app keeps its last values
          sidecar.kill();
          String lost = "bao-injector agent: lost the sidecar at " + sock + " (";
          Await.until(
              Duration.ofSeconds(30),
              () -> "the agent never said it lost the sidecar; stderr:\n" + app.stderr(),
              () -> app.stderr().contains(lost));
          assertEquals("rotated-1", app.ask("get DB_PASSWORD"));

          // a new sidecar (new instance id) with a newer value: the app takes it whole
          bao.put("app/db", Map.of("username", "app", "password", "rotated-2"));
          sidecar = SidecarProcess.start(work, env, "run", "-c", cfg.toString());
          sidecar.awaitReady(sock);
          app.await("get DB_PASSWORD", "rotated-2");
          assertTrue(
              app.stderr()
                  .contains("bao-injector agent: reached the sidecar at " + sock + " again"),
              app.stderr());
          assertFalse(app.stderr().contains("canary"), "no value on stderr:\n" + app.stderr());
          assertFalse(app.stderr().contains("rotated"), "no value on stderr:\n" + app.stderr());
        }
        assertEquals(0, sidecar.terminate());
        assertFalse(sidecar.stderr().contains("canary"), sidecar.stderr());
      } finally {
        sidecar.close();
      }
    }
  }

  @Test
  void aUidTheSocketRefusesIsToldSoAtStartup(OpenBao bao) throws Exception {
    bao.put("app/db", Map.of("username", "app", "password", CANARY));
    try (TmpfsDir t = new TmpfsDir()) {
      Path cfg = work.resolve("refusing.yaml");
      Path sock = t.resolve("agent.sock");
      Files.writeString(
          cfg,
          TokenConfig.yaml(
              bao.address(),
              """
                DB_PASSWORD: secret/app/db#password
              outputs:
                socket:
                  path: %s
                  allow-uids: [65534]
              """
                  .formatted(sock)));
      try (SidecarProcess sidecar =
          SidecarProcess.start(
              work, Map.of("BAO_TOKEN", bao.rootToken()), "run", "-c", cfg.toString())) {
        sidecar.awaitHealth(sock, r -> r.status() == 403, java.time.Duration.ofSeconds(60));
        AppJvm app =
            app(Jvms.JDK17, List.of(agentArg(AGENT_JAR, "socket=" + sock + ",wait=2s")), Map.of());
        assertEquals(1, app.waitFor());
        assertEquals(
            "bao-injector agent: sidecar not reachable at "
                + sock
                + " after 2s (the sidecar refused this process: HTTP 403, its uid is not in"
                + " outputs.socket.allow-uids)\n",
            app.stderr());
      }
    }
  }

  /**
   * Issue 8, defect 5: the sidecar is up but OpenBao is not, so no name has a value. The agent's
   * default (on-unavailable=fail) must stop the app with one line, not start it on the real
   * environment.
   */
  @Test
  void aSidecarWhoseOpenBaoIsUnreachableFailsTheAppsStart() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try (TmpfsDir t = new TmpfsDir()) {
      Path cfg = work.resolve("unreachable.yaml");
      Path sock = t.resolve("agent.sock");
      Files.writeString(
          cfg,
          TokenConfig.yaml(
              "http://127.0.0.1:" + closedPort,
              """
                DB_PASSWORD: secret/app/db#password
              outputs:
                socket:
                  path: %s
              """
                  .formatted(sock)));
      try (SidecarProcess sidecar =
          SidecarProcess.start(
              work, Map.of("BAO_TOKEN", "canary-token-unused"), "run", "-c", cfg.toString())) {
        sidecar.awaitHealth(sock, r -> r.status() == 503, java.time.Duration.ofSeconds(60));
        AppJvm app =
            app(
                Jvms.JDK17,
                List.of(agentArg(AGENT_JAR, "socket=" + sock + ",wait=2s")),
                Map.of("DB_PASSWORD", "canary-real-env"));
        assertEquals(1, app.waitFor());
        assertEquals(List.of(), app.remainingStdout(), "main never ran");
        String stderr = app.stderr();
        // the sidecar names what is missing (503) or, before it did, serves an empty revision 0
        assertTrue(
            stderr.equals(
                    "bao-injector agent: sidecar at "
                        + sock
                        + " is still starting after 2s: 1 name unresolved (DB_PASSWORD)\n")
                || stderr.equals(
                    "bao-injector agent: sidecar at "
                        + sock
                        + " is still starting after 2s: no values yet (revision 0)\n"),
            stderr);
      }
    }
  }
}
