package io.baoinjector.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.UnixHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error in the README's troubleshooting table, produced by the real programs: the line they
 * print, with this run's paths swapped for the README's example paths, is in the README verbatim.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(180)
class TroubleshootingIT {
  static final String README = Repo.read("README.md");

  @Test
  void aConfigMistakeNamesFileLineAndKey(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("sidecar.yaml"),
        "openbao:\n  adress: http://127.0.0.1:8200\nsecrets:\n  DB_PASSWORD: secret/app/db#password\n");
    SidecarProcess.Result r = SidecarProcess.runToEnd(dir, Map.of(), "check", "-c", "sidecar.yaml");
    assertEquals(2, r.exit(), r.stderr());
    assertInReadme(line(r.stderr(), "bao-injector: sidecar.yaml:"));
  }

  @Test
  void theAgentWithoutASidecar(@TempDir Path dir) {
    Path sock = dir.resolve("agent.sock");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Run.Result r =
        Run.run(
            Map.of(),
            List.of(
                java,
                "-javaagent:"
                    + Repo.path("agent/target/bao-injector-agent.jar")
                    + "=socket="
                    + sock
                    + ",wait=1s",
                "-jar",
                Repo.path("examples/legacy-app/target/legacy-app.jar").toString(),
                "--iterations",
                "1"));
    assertEquals(1, r.exit(), r.all());
    assertEquals("", r.stdout(), "main never ran");
    assertInReadme(
        line(r.stderr(), "bao-injector agent: ")
            .replace(sock.toString(), "/run/bao-injector/agent.sock")
            .replace(" after 1s", " after 10s"));
  }

  @Test
  void aPeerNotInAllowUids(OpenBao bao, @TempDir Path work) throws Exception {
    bao.put("app/db", Map.of("password", "pw"));
    long notUs = NonJavaExamplesIT.notOurUid();
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      Path cfg = work.resolve("sidecar.yaml");
      Files.writeString(
          cfg,
          """
          openbao:
            address: %s
          secrets:
            DB_PASSWORD: secret/app/db#password
          outputs:
            socket:
              path: %s
              allow-uids: [%d]
          """
              .formatted(bao.address(), sock, notUs));
      try (SidecarProcess p =
          SidecarProcess.start(
              work, Map.of("BAO_TOKEN", bao.rootToken()), "run", "-c", cfg.toString())) {
        UnixHttp.Response denied = awaitSocket(p, sock);
        assertEquals(403, denied.status());
        assertInReadme("`" + denied.body() + "` from the socket");
        SidecarProcess.Result get =
            SidecarProcess.runToEnd(
                work, Map.of(), "get", "DB_PASSWORD", "--socket", sock.toString());
        assertEquals(1, get.exit());
        assertInReadme("`" + line(get.stderr(), "bao-injector: get ") + "` from `get`");
        assertEquals(0, p.terminate());
        assertTrue(p.stderr().contains("denied peer="), p.stderr());
      }
    }
  }

  @Test
  void aFileOffTmpfs(OpenBao bao, @TempDir Path work) throws Exception {
    bao.put("app/db", Map.of("password", "pw"));
    Path disk = Repo.path("examples/tests/target");
    String fs = Files.getFileStore(disk).type();
    assertTrue(
        !fs.equals("tmpfs") && !fs.equals("ramfs"), "the build dir must be on disk for this test");
    Path cfg = work.resolve("sidecar.yaml");
    Files.writeString(
        cfg,
        """
        openbao:
          address: %s
        secrets:
          DB_PASSWORD: secret/app/db#password
        outputs:
          files:
            - path: %s
              format: dotenv
        """
            .formatted(bao.address(), disk.resolve("app.env")));
    SidecarProcess.Result r =
        SidecarProcess.runToEnd(
            work, Map.of("BAO_TOKEN", bao.rootToken()), "render", "-c", cfg.toString());
    assertTrue(r.exit() != 0, r.stderr());
    assertTrue(!Files.exists(disk.resolve("app.env")), "nothing written to disk");
    assertInReadme(
        line(r.stderr(), "bao-injector: outputs.files[0].path: ")
            .replace(disk + " is on " + fs + ",", "/var/lib/app is on ext4,"));
  }

  @Test
  void aPathThePolicyDoesNotCover(OpenBao bao, @TempDir Path work) throws Exception {
    bao.put("app/db", Map.of("password", "pw"));
    bao.writePolicy("wrong-path", "path \"secret/data/other/*\" { capabilities = [\"read\"] }");
    String token = bao.createToken(Map.of("policies", List.of("wrong-path")));
    Path cfg = work.resolve("sidecar.yaml");
    Files.writeString(
        cfg,
        "openbao:\n  address: %s\nsecrets:\n  DB_PASSWORD: secret/app/db#password\n"
            .formatted(bao.address()));
    SidecarProcess.Result env =
        SidecarProcess.runToEnd(work, Map.of("BAO_TOKEN", token), "env", "-c", cfg.toString());
    assertEquals(1, env.exit(), env.stderr());
    assertTrue(env.stderr().contains("status 403"), env.stderr());
    assertInReadme("`" + line(env.stderr(), "bao-injector: could not resolve ") + "`");

    SidecarProcess.Result check =
        SidecarProcess.runToEnd(
            work, Map.of("BAO_TOKEN", token), "check", "-c", cfg.toString(), "--online");
    assertEquals(1, check.exit(), check.stdout() + check.stderr());
    String denied =
        check.stdout().lines().filter(l -> l.startsWith("DENIED")).findFirst().orElseThrow();
    assertInReadme("`" + denied + "`");
  }

  @Test
  void aSecretIdFileAlreadyUsed(OpenBao bao, @TempDir Path work) throws Exception {
    OpenBao.AppRole role = bao.appRole("app", Map.of("token_policies", "default"));
    Files.writeString(work.resolve("role-id"), role.roleId());
    Path cfg = work.resolve("sidecar.yaml");
    Files.writeString(
        cfg,
        """
        openbao:
          address: %s
        auth:
          method: approle
          role-id-file: role-id
          secret-id-file: secret-id
        secrets:
          DB_PASSWORD: secret/app/db#password
        """
            .formatted(bao.address()));
    SidecarProcess.Result r = SidecarProcess.runToEnd(work, Map.of(), "env", "-c", cfg.toString());
    assertEquals(1, r.exit(), r.stderr());
    assertInReadme(
        "`"
            + line(r.stderr(), "bao-injector: login failed: ")
                .replace(work.resolve("secret-id").toString(), "/etc/bao/secret-id")
            + "`");
  }

  static void assertInReadme(String text) {
    assertTrue(README.contains(text), "README.md's troubleshooting table lacks:\n" + text);
  }

  /**
   * The one line starting with {@code prefix}: the error a user reads. Not simply the last line: a
   * background retry's log line may come after it.
   */
  static String line(String output, String prefix) {
    List<String> lines = output.lines().filter(l -> l.startsWith(prefix)).toList();
    assertEquals(1, lines.size(), "one line starting with '" + prefix + "' in:\n" + output);
    return lines.get(0);
  }

  /** The first answer the socket gives (the sidecar binds it before it logs in). */
  static UnixHttp.Response awaitSocket(SidecarProcess p, Path sock) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      assertTrue(p.isAlive(), p.stderr());
      try {
        return UnixHttp.get(sock, "/v1/secrets/DB_PASSWORD");
      } catch (java.io.IOException e) {
        assertTrue(System.nanoTime() < deadline, "no socket:\n" + p.stderr());
        Thread.sleep(100);
      }
    }
  }
}
