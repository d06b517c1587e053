package io.baoinjector.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.config.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code bao-injector check}: exit 2 and the fixture's one line for bad configs, a summary for
 * good.
 */
class CheckCommandTest {
  private static final Map<String, String> ENV = Map.of("BAO_TOKEN", Fixtures.CANARY_TOKEN);

  static List<Path> badConfigs() {
    return Fixtures.badConfigs();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void badConfigPrintsOneLineAndExits2(Path file) {
    Cli r = Cli.run(ENV, "check", "-c", file.toString());
    assertEquals(2, r.exit, r.toString());
    assertEquals("bao-injector: " + Fixtures.expectedMessage(file) + "\n", r.err, r.toString());
    assertEquals("", r.out);
    assertFalse(r.err.contains("\tat "), "no stack trace");
    assertFalse(r.err.contains(Fixtures.CANARY_TOKEN));
  }

  @Test
  void goodConfigPrintsASummaryWithNamesButNoSecrets() {
    Path file = Fixtures.dir("good-config").resolve("full.yaml");
    Cli r = Cli.run(ENV, "check", "-c", file.toString());
    assertEquals(0, r.exit, r.toString());
    assertEquals("", r.err);
    List<String> lines = r.out.lines().toList();
    assertEquals(file + ": ok", lines.get(0));
    assertTrue(
        lines.contains(
            "openbao:    https://bao-0.example:8200, https://bao-1.example:8200 (namespace team-a,"
                + " ca-cert "
                + file.resolveSibling("bao-ca.pem")
                + ")"),
        r.out);
    assertTrue(lines.contains("auth:       approle at auth/approle/prod"), r.out);
    assertTrue(
        lines.contains("secrets:    5: DB_USER, DB_PASSWORD, STRIPE_KEY, PG_USER, PG_PASSWORD"),
        r.out);
    assertTrue(lines.contains("properties: 1: spring.datasource.password"), r.out);
    assertTrue(lines.contains("refresh:    every 1m30s"), r.out);
    assertTrue(lines.contains("leases:     overlap 45s, left to expire"), r.out);
    assertTrue(
        lines.contains(
            "socket:     /run/bao-injector/agent.sock (mode 0660, allow-uids 1000, app)"),
        r.out);
    assertTrue(lines.contains("http:       127.0.0.1:9102"), r.out);
    assertTrue(
        lines.contains(
            "file:       /run/secrets/app.env (dotenv, mode 0440: DB_USER, DB_PASSWORD)"),
        r.out);
    assertTrue(
        lines.contains("file:       /run/secrets/db-password (raw, mode 0400: DB_PASSWORD)"),
        r.out);
    assertFalse(r.out.contains(Fixtures.CANARY_TOKEN));
  }

  @Test
  void tokenFromTheEnvironmentNeverPrinted() {
    Path file = Fixtures.dir("good-config").resolve("minimal.yaml");
    Cli r =
        Cli.run(
            Map.of("BAO_ADDR", "http://127.0.0.1:8200", "BAO_TOKEN", Fixtures.CANARY_TOKEN),
            "check",
            "-c",
            file.toString());
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.out.contains("auth:       token at auth/token"), r.out);
    assertTrue(r.out.contains("outputs:    none (exec and env still work)"), r.out);
    assertFalse(r.out.contains(Fixtures.CANARY_TOKEN), r.out);
    assertFalse(r.err.contains(Fixtures.CANARY_TOKEN), r.err);
  }

  @Test
  void missingConfigFileIsAConfigError() {
    Cli r = Cli.run(ENV, "check", "-c", "/nonexistent/sidecar.yaml");
    assertEquals(2, r.exit);
    assertEquals(
        "bao-injector: /nonexistent/sidecar.yaml: config file not found (create it or pass another"
            + " with -c PATH)\n",
        r.err);
  }

  @Test
  void skipVerifyIsWarned() {
    Path file = Fixtures.dir("good-config").resolve("minimal.yaml");
    Cli r =
        Cli.run(
            Map.of("BAO_ADDR", "https://bao:8200", "BAO_TOKEN", "t", "BAO_SKIP_VERIFY", "true"),
            "check",
            "-c",
            file.toString());
    assertEquals(0, r.exit, r.toString());
    assertEquals(
        "bao-injector: warning: tls-skip-verify is on; OpenBao's certificate is not checked\n",
        r.err);
  }

  @Test
  void backendsAndTheFallbackAreInTheSummary(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path file =
        java.nio.file.Files.writeString(
            dir.resolve("sidecar.yaml"),
            "openbao: {address: 'http://127.0.0.1:8200'}\n"
                + "backends:\n"
                + Fixtures.infisicalBlock("inf", dir)
                + "secrets:\n"
                + "  A: inf:/app#password\n"
                + "  B: file:/etc/app/local.env#B\n"
                + "fallback: file:/etc/app/fallback.env\n");
    Cli r = Cli.run(ENV, "check", "-c", file.toString());
    assertEquals(0, r.exit, r.toString());
    List<String> lines = r.out.lines().toList();
    assertTrue(lines.contains("secrets:    2: A, B"), r.out);
    assertTrue(lines.contains("backends:   inf (infisical)"), r.out);
    assertTrue(lines.contains("fallback:   file:/etc/app/fallback.env"), r.out);
  }
}
