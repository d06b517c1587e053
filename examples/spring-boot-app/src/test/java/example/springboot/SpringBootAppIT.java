package example.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.BaoBinary;
import io.baoinjector.testkit.ChildProcess;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.PostgresServer;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.UnixHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The unmodified Spring Boot app, packaged, against a real PostgreSQL whose {@code app} password
 * exists only there and in a real OpenBao: the app's environment holds the URL and the user name,
 * never the password. The real sidecar and the agent supply it — as the {@code DB_PASSWORD}
 * variable that {@code application.properties} refers to, or as the {@code
 * spring.datasource.password} system property — and a rotation reaches the running app.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(180)
class SpringBootAppIT {
  static final Path ROOT = BaoBinary.repoRoot();
  static final Path APP_JAR = ROOT.resolve("examples/spring-boot-app/target/spring-boot-app.jar");
  static final Path AGENT_JAR = ROOT.resolve("agent/target/bao-injector-agent.jar");
  static final String README_SOCKET = "/dev/shm/bao-injector/agent.sock";
  static final Duration STARTUP = Duration.ofSeconds(90);

  static PostgresServer pg;

  @BeforeAll
  static void startPostgres() {
    assertTrue(Files.isRegularFile(APP_JAR), "run `package` first: no " + APP_JAR);
    assertTrue(Files.isRegularFile(AGENT_JAR), "run `package` first: no " + AGENT_JAR);
    pg = PostgresServer.start();
    pg.sql("CREATE ROLE app LOGIN;");
  }

  @AfterAll
  static void stopPostgres() {
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void thePasswordReachesSpringAsTheDbPasswordVariable(OpenBao bao, @TempDir Path work)
      throws Exception {
    String password = newPasswordInPostgres();
    bao.put("app/db", Map.of("password", password));
    assertThrows(
        SQLException.class,
        () -> DriverManager.getConnection(pg.jdbcUrl(), "app", "not-" + password).close(),
        "PostgreSQL checks the password over TCP");

    try (ChildProcess app = startApp(work, null)) {
      assertNotEquals(0, app.awaitExit(STARTUP), "without the agent there is no DB_PASSWORD");
      assertFalse(app.stdout().contains("connected as"), app.output());
      // Spring leaves an unresolvable ${DB_PASSWORD} as it is, and PostgreSQL refuses that
      assertTrue(
          app.stdout().contains("password authentication failed for user \"app\""), app.output());
    }

    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      try (SidecarProcess sidecar = startSidecar(bao, work, sock, "sidecar-env.yaml");
          ChildProcess app = startApp(work, "socket=" + sock)) {
        assertEquals(0, app.awaitExit(STARTUP), app.output());
        assertTrue(app.stdout().lines().anyMatch("connected as app"::equals), app.output());
        assertNoSecretIn(password, app.output(), sidecar.stderr());
      }
    }
  }

  @Test
  void thePasswordReachesSpringAsASystemPropertyWithNoVariableAtAll(OpenBao bao, @TempDir Path work)
      throws Exception {
    String password = newPasswordInPostgres();
    bao.put("app/db", Map.of("password", password));
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      try (SidecarProcess sidecar = startSidecar(bao, work, sock, "sidecar-properties.yaml");
          ChildProcess app = startApp(work, "socket=" + sock)) {
        // no secrets: section, so no DB_PASSWORD anywhere: the system property set by the agent
        // wins over application.properties and its ${DB_PASSWORD} is never looked at
        String served = UnixHttp.get(sock, "/v1/env").body();
        assertTrue(served.contains("\"spring.datasource.password\""), served.length() + " bytes");
        assertFalse(served.contains("DB_PASSWORD"), "no variable is served");
        assertEquals(0, app.awaitExit(STARTUP), app.output());
        assertTrue(app.stdout().lines().anyMatch("connected as app"::equals), app.output());
        assertNoSecretIn(password, app.output(), sidecar.stderr());
      }
    }
  }

  @Test
  void aRotationInOpenBaoReachesTheRunningAppsNextConnection(OpenBao bao, @TempDir Path work)
      throws Exception {
    String before = newPasswordInPostgres();
    bao.put("app/db", Map.of("password", before));
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      try (SidecarProcess sidecar = startSidecar(bao, work, sock, "sidecar-env.yaml");
          ChildProcess app = startApp(work, "socket=" + sock, "--stay", "--interval-ms=300")) {
        int at = app.awaitLine(0, "connected as app"::equals, STARTUP);
        at = app.awaitLine(at, "fresh connection: connected as app"::equals, STARTUP);

        // PostgreSQL first: from here on the app's old password is refused...
        String after = newPasswordInPostgres();
        at = app.awaitLine(at + 1, l -> l.startsWith("fresh connection: failed"), STARTUP);
        // ...until OpenBao has the new one, which the app picks up without a restart
        bao.put("app/db", Map.of("password", after));
        app.awaitLine(at + 1, "fresh connection: connected as app"::equals, STARTUP);

        // one line, as the app has no spring-cloud-context: its datasource bean won't rebind;
        // beside it only the lines saying a rotation was applied to the pool
        assertEquals(
            List.of(
                "bao-injector agent: Spring Boot without spring-cloud-context: after a rotation,"
                    + " System.getenv and ${NAME} placeholders read the new value, but"
                    + " @ConfigurationProperties and @Value beans keep their startup values (add"
                    + " org.springframework.cloud:spring-cloud-context for a refresh on every"
                    + " rotation)"),
            app.stderr()
                .lines()
                .filter(l -> l.contains("bao-injector agent"))
                .filter(APPLIED.negate())
                .toList(),
            "otherwise the agent stays quiet:\n" + app.stderr());
        assertNoSecretIn(before, app.output(), sidecar.stderr());
        assertNoSecretIn(after, app.output(), sidecar.stderr());
      }
    }
  }

  /**
   * Spring Boot's own HikariCP pool, built once from {@code spring.datasource.password}: after the
   * password changes in PostgreSQL and OpenBao and every connection of the role is cut, the pool
   * opens new ones with the new password (the agent's {@code pools=follow}, on by default). Without
   * it those fail: the same run with {@code pools=off} is the control.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sidecar-env.yaml", "sidecar-properties.yaml"})
  void theSpringPoolFollowsARotationThroughCutConnections(
      String config, OpenBao bao, @TempDir Path work) throws Exception {
    String before = newPasswordInPostgres();
    bao.put("app/db", Map.of("password", before));
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      // a failed borrow waits connection-timeout (30 s by default): shortened for the control
      String[] args = {
        "--stay", "--interval-ms=600", "--spring.datasource.hikari.connection-timeout=1500"
      };
      try (SidecarProcess sidecar = startSidecar(bao, work, sock, config);
          ChildProcess app = startApp(work, "socket=" + sock, args);
          ChildProcess off = startApp(work, "socket=" + sock + ",pools=off", args)) {
        app.awaitLine(0, l -> l.startsWith("pool: connected as app"), STARTUP);
        off.awaitLine(0, l -> l.startsWith("pool: connected as app"), STARTUP);

        String after = newPasswordInPostgres();
        bao.put("app/db", Map.of("password", after));
        app.awaitStderrLine(0, APPLIED, STARTUP);
        // the control has the new value too (its fresh connections work), just not in its pool
        int now = (int) off.stdout().lines().count();
        off.awaitLine(now, "fresh connection: connected as app"::equals, STARTUP);

        // with a timeout, pg_terminate_backend returns once the backends are gone (PostgreSQL 14+)
        pg.sql(
            "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE usename = 'app';");
        long cut = System.currentTimeMillis();
        assertPoolAfter(app, cut, "pool: connected as app at ");
        assertPoolAfter(off, cut, "pool: failed (");
        assertFalse(off.stderr().contains("applied revision"), off.output());
        assertNoSecretIn(before, app.output(), off.output(), sidecar.stderr());
        assertNoSecretIn(after, app.output(), off.output(), sidecar.stderr());
      }
    }
  }

  static final java.util.function.Predicate<String> APPLIED =
      java.util.regex.Pattern.compile(
              "bao-injector agent: applied revision \\d+ to HikariPool-1"
                  + " \\((DB_PASSWORD|spring\\.datasource\\.password)\\)")
          .asMatchPredicate();

  /** The first five pool queries started after {@code cut} all start with {@code expected}. */
  static void assertPoolAfter(ChildProcess app, long cut, String expected) {
    java.util.function.Predicate<String> afterCut =
        l -> l.startsWith("pool: ") && Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)) > cut;
    int at = app.awaitLine(0, afterCut, STARTUP);
    for (int i = 0; i < 4; i++) {
      at = app.awaitLine(at + 1, afterCut, STARTUP);
    }
    List<String> pool = app.stdout().lines().filter(afterCut).limit(5).toList();
    assertEquals(5, pool.size(), app.output());
    assertTrue(pool.stream().allMatch(l -> l.startsWith(expected)), app.output());
  }

  /** Sets a new random password for {@code app} in PostgreSQL and returns it. */
  static String newPasswordInPostgres() {
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    // base64url: no quote to escape in SQL
    String password = "pw-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    pg.sql("ALTER ROLE app PASSWORD '" + password + "';");
    return password;
  }

  /**
   * The packaged app, {@code java [-javaagent:AGENT=OPTIONS] -jar spring-boot-app.jar ARGS}, in a
   * clean environment plus {@link #appEnv()}; no agent when {@code agentOptions} is null.
   */
  static ChildProcess startApp(Path work, String agentOptions, String... args) {
    List<String> jvm = new ArrayList<>();
    if (agentOptions != null) {
      jvm.add("-javaagent:" + AGENT_JAR + "=" + agentOptions);
    }
    jvm.addAll(List.of("-jar", APP_JAR.toString()));
    jvm.addAll(List.of(args));
    return ChildProcess.start("app", work, ChildProcess.java(jvm), appEnv());
  }

  /** What the app's environment holds: where the database is and who to log in as, no password. */
  static Map<String, String> appEnv() {
    return Map.of("DB_URL", pg.jdbcUrl(), "DB_USER", "app");
  }

  /**
   * Runs the sidecar with {@code examples/spring-boot-app/CONFIG} — the very file the README shows
   * — on this test's own socket, with OpenBao's address and token from the environment as there.
   */
  static SidecarProcess startSidecar(OpenBao bao, Path work, Path sock, String config)
      throws Exception {
    String shipped = Files.readString(ROOT.resolve("examples/spring-boot-app").resolve(config));
    assertTrue(shipped.contains(README_SOCKET), config + " uses " + README_SOCKET);
    Path cfg = work.resolve(config);
    Files.writeString(cfg, shipped.replace(README_SOCKET, sock.toString()));
    return SidecarProcess.startReady(
        work, Map.of("BAO_ADDR", bao.address(), "BAO_TOKEN", bao.rootToken()), cfg, sock);
  }

  static void assertNoSecretIn(String secret, String... outputs) {
    for (String out : outputs) {
      assertFalse(out.contains(secret), "a secret value was printed:\n" + out);
    }
  }
}
