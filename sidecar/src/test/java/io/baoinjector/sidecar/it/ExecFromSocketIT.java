package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.Await;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exec --socket}: a second process takes its values from a running sidecar (AppRole login)
 * with no OpenBao credentials of its own. Values and rotations reach the child; a sidecar killed
 * and started again is followed to its new instance; the user-facing failures are one line each.
 * Every child writes its whole environment to {@code child-PID.env}, which the test reads;
 * assertion messages name variables, never their values.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(300)
class ExecFromSocketIT {
  static final Duration MAX = Duration.ofSeconds(60);

  /** Canaries: none may reach a log line or exec's own output. */
  static final String P1 = "canary-exec-socket-one";

  static final String P2 = "canary-exec-socket-two";
  static final String P3 = "canary-exec-socket-three";

  static String config(Path socket, String extraSecrets, String socketExtra) {
    return """
        auth:
          method: approle
          role-id-file: role-id
          secret-id-file: secret-id
          keep-secret-id-file: true
        secrets:
          DB_USER: secret/app/db#username
          DB_PASSWORD: secret/app/db#password
          STRIPE_KEY: secret/app/stripe#api_key
        %s
        refresh:
          interval: 1s
        outputs:
          socket:
            path: %s
        %s
        """
        .formatted(extraSecrets, socket, socketExtra);
  }

  /** Seeds app/db (P1) and app/stripe, AppRole files in {@code work}; the env: only BAO_ADDR. */
  static Map<String, String> seedAndAppRole(OpenBao bao, Path work) throws IOException {
    bao.put("app/db", Map.of("username", "app", "password", P1));
    bao.put("app/stripe", Map.of("api_key", "sk_test_1"));
    bao.writePolicy(
        "exec-socket",
        "path \"secret/data/app/*\" { capabilities = [\"read\"] }\n"
            + "path \"secret/metadata/app/*\" { capabilities = [\"read\"] }");
    OpenBao.AppRole role = bao.appRole("app", Map.of("token_policies", "exec-socket"));
    Files.writeString(work.resolve("role-id"), role.roleId());
    Files.writeString(work.resolve("secret-id"), role.secretId());
    return Map.of("BAO_ADDR", bao.address());
  }

  /** {@code sh} that writes its environment to {@code child-$$.env} in {@code dir}, then waits. */
  static String[] child(Path dir, boolean stay) {
    String script =
        "env > \"$0/child-$$.tmp\" && mv \"$0/child-$$.tmp\" \"$0/child-$$.env\""
            + (stay ? "; exec sleep 600" : "");
    return new String[] {"--", "sh", "-c", script, dir.toString()};
  }

  /** Every child's environment so far, by pid. */
  static Map<Long, Map<String, String>> children(Path dir) throws IOException {
    Map<Long, Map<String, String>> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".env")).sorted().toList()) {
        String name = f.getFileName().toString();
        long pid = Long.parseLong(name.substring("child-".length(), name.length() - 4));
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(f)) {
          int eq = line.indexOf('=');
          if (eq > 0) {
            env.put(line.substring(0, eq), line.substring(eq + 1));
          }
        }
        out.put(pid, env);
      }
    }
    return out;
  }

  static long childWith(Path dir, String password) throws IOException {
    return children(dir).entrySet().stream()
        .filter(e -> password.equals(e.getValue().get("DB_PASSWORD")))
        .mapToLong(Map.Entry::getKey)
        .findFirst()
        .orElse(-1);
  }

  /** {@code exec --socket SOCK OPTIONS… -- sh -c …} with the {@link #child} script. */
  static String[] exec(Path sock, Path kids, boolean stay, String... options) {
    return Stream.of(
            Stream.of("exec", "--socket", sock.toString()),
            Stream.of(options),
            Stream.of(child(kids, stay)))
        .flatMap(x -> x)
        .toArray(String[]::new);
  }

  /** What bin/bao-injector sets, so exec forwards USR2 without a warning. */
  static final Map<String, String> EXEC_ENV = Map.of("_JAVA_SR_SIGNUM", "39");

  static void assertNoValue(String where, String text) {
    for (String v : List.of(P1, P2, P3)) {
      assertFalse(text.contains(v), where + " carries a secret value");
    }
  }

  @Test
  void valuesAndRotationsReachTheChildWithoutCredentialsAcrossASidecarRestart(
      OpenBao bao, @TempDir Path work) throws Exception {
    Map<String, String> sidecarEnv = seedAndAppRole(bao, work);
    String roleId = Files.readString(work.resolve("role-id"));
    String secretId = Files.readString(work.resolve("secret-id"));
    Path kids = Files.createDirectories(work.resolve("kids"));
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      Path cfg = work.resolve("sidecar.yaml");
      Files.writeString(cfg, config(sock, "", ""));
      SidecarProcess sidecar = SidecarProcess.start(work, sidecarEnv, "run", "-c", cfg.toString());
      try {
        sidecar.awaitReady(sock);

        // --only: an unknown name is one line once the first snapshot is there; a known one
        // restricts the child to it
        SidecarProcess.Result unknown =
            SidecarProcess.runToEnd(
                work, EXEC_ENV, exec(sock, kids, false, "--only", "DB_PASSWORD,NOPE,NADA"));
        assertEquals(2, unknown.exit(), unknown.stderr());
        assertEquals(
            "bao-injector: exec --only: the sidecar at "
                + sock
                + " serves no NOPE, NADA (it serves DB_USER, DB_PASSWORD, STRIPE_KEY)\n",
            unknown.stderr());
        assertEquals(Map.of(), children(kids), "no child started");
        SidecarProcess.Result only =
            SidecarProcess.runToEnd(work, EXEC_ENV, exec(sock, kids, false, "--only", "DB_USER"));
        assertEquals(0, only.exit(), only.stderr());
        Map<String, String> onlyEnv = children(kids).values().iterator().next();
        assertEquals("app", onlyEnv.get("DB_USER"));
        assertFalse(onlyEnv.containsKey("DB_PASSWORD"), "--only DB_USER leaves DB_PASSWORD out");
        assertFalse(onlyEnv.containsKey("STRIPE_KEY"), "--only DB_USER leaves STRIPE_KEY out");
        try (Stream<Path> files = Files.list(kids)) {
          for (Path f : files.toList()) {
            Files.delete(f);
          }
        }

        // exec's own environment has no OpenBao credentials at all: PATH, LANG, HOME and
        // _JAVA_SR_SIGNUM
        try (SidecarProcess exec =
            SidecarProcess.start(
                work, EXEC_ENV, exec(sock, kids, true, "--on-change", "restart"))) {
          Await.until(MAX, () -> "no child\n" + exec.stderr(), () -> childWith(kids, P1) > 0);
          long first = childWith(kids, P1);
          Map<String, String> env = children(kids).get(first);
          assertEquals("app", env.get("DB_USER"));
          assertEquals("sk_test_1", env.get("STRIPE_KEY"));
          for (String name : env.keySet()) {
            assertFalse(
                name.startsWith("BAO_") || name.startsWith("VAULT_"),
                name + " in the child's environment");
          }
          for (Map.Entry<String, String> e : env.entrySet()) {
            assertFalse(e.getValue().contains(roleId), e.getKey() + " carries the role id");
            assertFalse(e.getValue().contains(secretId), e.getKey() + " carries the secret id");
          }

          bao.cli("kv", "put", "secret/app/db", "username=app", "password=" + P2);
          Await.until(
              MAX,
              () -> "the rotation never reached a new child\n" + exec.stderr(),
              () -> childWith(kids, P2) > 0);
          long second = childWith(kids, P2);
          Await.until(
              MAX,
              () -> "the first child is still running",
              () -> ProcessHandle.of(first).map(p -> !p.isAlive()).orElse(true));

          // the sidecar crashes: exec keeps the child running on its values
          sidecar.kill();
          Await.until(
              MAX,
              () -> "exec never noticed the lost sidecar\n" + exec.stderr(),
              () -> exec.stderr().contains("bao-injector: exec: lost the sidecar at " + sock));
          assertTrue(exec.isAlive(), "exec runs on without its sidecar");
          assertTrue(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false));

          // a new instance starts its revisions over at 1 with the same values: no restart
          sidecar = SidecarProcess.start(work, sidecarEnv, "run", "-c", cfg.toString());
          sidecar.awaitReady(sock);
          Await.until(
              MAX,
              () -> "exec never reached the new sidecar\n" + exec.stderr(),
              () ->
                  exec.stderr()
                      .contains(
                          "bao-injector: exec: reached the sidecar at "
                              + sock
                              + " again (a new instance)"));
          assertEquals(2, children(kids).size(), "same values on the new instance: no restart");
          assertTrue(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false));

          // and a later rotation still arrives, through the new instance
          bao.cli("kv", "put", "secret/app/db", "username=app", "password=" + P3);
          Await.until(
              MAX,
              () -> "the rotation after the restart never reached a child\n" + exec.stderr(),
              () -> childWith(kids, P3) > 0);
          assertEquals(3, children(kids).size());

          assertEquals(143, exec.terminate(), "SIGTERM reaches the child; exec exits with 128+15");
          assertNoValue("exec's stdout", exec.stdout());
          assertNoValue("exec's stderr", exec.stderr());
          assertEquals(
              2,
              exec.stderr().lines().count(),
              "one line lost, one line reached:\n" + exec.stderr());
        }
        assertNoValue("the sidecar's stderr", sidecar.stderr());
      } finally {
        sidecar.close();
      }
    }
  }

  /**
   * {@code signal:HUP} signals the running child instead of restarting it; its environment cannot
   * change, so this policy is for a child that re-reads files or the socket itself.
   */
  @Test
  void signalPolicySignalsTheChildAndStartsNoOther(OpenBao bao, @TempDir Path work)
      throws Exception {
    Map<String, String> sidecarEnv = seedAndAppRole(bao, work);
    Path kids = Files.createDirectories(work.resolve("kids"));
    Path hups = kids.resolve("hups");
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      Path cfg = work.resolve("sidecar.yaml");
      Files.writeString(cfg, config(sock, "", ""));
      try (SidecarProcess sidecar =
          SidecarProcess.start(work, sidecarEnv, "run", "-c", cfg.toString())) {
        sidecar.awaitReady(sock);
        String script =
            "trap 'echo hup >> \"$0/hups\"' HUP;"
                + " env > \"$0/child-$$.tmp\" && mv \"$0/child-$$.tmp\" \"$0/child-$$.env\";"
                + " while :; do sleep 1 & wait $!; done";
        try (SidecarProcess exec =
            SidecarProcess.start(
                work,
                EXEC_ENV,
                "exec",
                "--socket",
                sock.toString(),
                "--on-change",
                "signal:HUP",
                "--",
                "sh",
                "-c",
                script,
                kids.toString())) {
          Await.until(MAX, () -> "no child\n" + exec.stderr(), () -> childWith(kids, P1) > 0);
          assertFalse(Files.exists(hups), "no signal before a change");
          bao.cli("kv", "put", "secret/app/db", "username=app", "password=" + P2);
          Await.until(
              MAX,
              () -> "the child never got SIGHUP\n" + exec.stderr(),
              () -> Files.exists(hups) && Files.readString(hups).equals("hup\n"));
          assertEquals(1, children(kids).size(), "signal:HUP starts no other child");
          assertEquals(143, exec.terminate());
          assertNoValue("exec's stderr", exec.stderr());
        }
      }
    }
  }

  @Test
  void noSidecarAStartingOneAndARefusingOneAreOneLineEach(OpenBao bao, @TempDir Path work)
      throws Exception {
    Map<String, String> sidecarEnv = seedAndAppRole(bao, work);
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");

      long t0 = System.nanoTime();
      SidecarProcess.Result none =
          SidecarProcess.runToEnd(
              work,
              EXEC_ENV,
              "exec",
              "--socket",
              sock.toString(),
              "--wait",
              "1500ms",
              "--",
              "true");
      assertTrue(System.nanoTime() - t0 >= 1_500_000_000L, "gave up before --wait");
      assertEquals(1, none.exit(), none.stderr());
      assertEquals(1, none.stderr().lines().count(), none.stderr());
      assertTrue(
          none.stderr()
              .startsWith(
                  "bao-injector: exec: sidecar not reachable at " + sock + " after 1500ms ("),
          none.stderr());
      assertTrue(
          none.stderr()
              .endsWith("; is `bao-injector run` up there? check --socket, or raise --wait)\n"),
          none.stderr());

      // MISSING never resolves: the sidecar stays "starting"
      Path cfg = work.resolve("starting.yaml");
      Files.writeString(cfg, config(sock, "  MISSING: secret/app/nothing#key", ""));
      try (SidecarProcess sidecar =
          SidecarProcess.start(work, sidecarEnv, "run", "-c", cfg.toString())) {
        sidecar.awaitHealth(sock, r -> r.status() == 503, MAX);
        SidecarProcess.Result starting =
            SidecarProcess.runToEnd(
                work, EXEC_ENV, "exec", "--socket", sock.toString(), "--wait", "2s", "--", "true");
        assertEquals(1, starting.exit(), starting.stderr());
        assertEquals(
            "bao-injector: exec: sidecar at "
                + sock
                + " is still starting after 2s: 1 name unresolved (MISSING)\n",
            starting.stderr());
        sidecar.terminate();
      }

      // this process is root; the socket lets only nobody in
      cfg = work.resolve("refusing.yaml");
      Files.writeString(cfg, config(sock, "", "    allow-uids: [65534]"));
      try (SidecarProcess sidecar =
          SidecarProcess.start(work, sidecarEnv, "run", "-c", cfg.toString())) {
        sidecar.awaitHealth(sock, r -> r.status() == 403, MAX);
        SidecarProcess.Result refused =
            SidecarProcess.runToEnd(
                work, EXEC_ENV, "exec", "--socket", sock.toString(), "--", "true");
        assertEquals(1, refused.exit(), refused.stderr());
        assertEquals(
            "bao-injector: exec: "
                + sock
                + ": the sidecar refused this process: HTTP 403, its uid is not in"
                + " outputs.socket.allow-uids\n",
            refused.stderr());
        sidecar.terminate();
      }
    }
  }
}
