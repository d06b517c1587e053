package example.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.BaoBinary;
import io.baoinjector.testkit.ChildProcess;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.PostgresServer;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The unmodified {@link PoolApp} against a real PostgreSQL, a real OpenBao and the real sidecar,
 * once per HikariCP major version: the password is rotated in PostgreSQL and OpenBao, then every
 * connection of the role is cut ({@code pg_terminate_backend}), so the pool must open new ones.
 *
 * <p>Four copies of the app run through the same rotation: with the agent ({@code pools=follow},
 * the default) and a user name, the same with the user only in the data-source properties (Hikari's
 * null-user-name path), with {@code pools=off}, and without the agent (the password in its real
 * environment). The first two keep working once the agent says it applied the revision; the other
 * two fail from the cut on — which is what the first two would do without the feature.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(150)
class PoolRotationIT {
  static final Path ROOT = BaoBinary.repoRoot();
  static final Path AGENT_JAR = ROOT.resolve("agent/target/bao-injector-agent.jar");
  static final Path LIBS = Path.of(System.getProperty("pool.libs"));
  static final Path APP_CLASSES = Path.of(System.getProperty("pool.app.classes"));
  static final Duration WAIT = Duration.ofSeconds(60);

  /** Queries after the cut that must all succeed (or all fail). */
  static final int AFTER_CUT = 6;

  static PostgresServer pg;

  @BeforeAll
  static void startPostgres() {
    assertTrue(Files.isRegularFile(AGENT_JAR), "run `package` first: no " + AGENT_JAR);
    pg = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() {
    if (pg != null) {
      pg.close();
    }
  }

  @ParameterizedTest(name = "HikariCP {0}")
  @ValueSource(strings = {"4.0.3", "5.1.0", "6.3.3", "7.1.0"})
  @Timeout(100)
  void aPoolBuiltOnceFollowsARotationThroughCutConnections(
      String version, OpenBao bao, @TempDir Path work) throws Exception {
    String role = "app_" + version.replace('.', '_');
    String before = password();
    pg.sql("CREATE ROLE " + role + " LOGIN PASSWORD '" + before + "';");
    bao.put("app/db", Map.of("password", before));
    List<Path> cp = classPath(version);
    Map<String, String> env = Map.of("DB_URL", pg.jdbcUrl(), "DB_USER", role);
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      List<ChildProcess> apps = new ArrayList<>();
      try (SidecarProcess sidecar = startSidecar(bao, work, sock, false)) {
        String agent = AGENT_JAR + "=socket=" + sock;
        ChildProcess follow = startApp("follow", work, cp, agent, env);
        apps.add(follow);
        ChildProcess nullUser = startApp("null-user", work, cp, agent, env, "--user-in-properties");
        apps.add(nullUser);
        ChildProcess off = startApp("off", work, cp, agent + ",pools=off", env);
        apps.add(off);
        Map<String, String> real = new java.util.HashMap<>(env);
        real.put("DB_PASSWORD", before);
        ChildProcess noAgent = startApp("no-agent", work, cp, null, real);
        apps.add(noAgent);
        for (ChildProcess app : apps) {
          app.awaitLine(0, l -> l.startsWith("ok "), WAIT);
        }

        String after = password();
        pg.sql("ALTER ROLE " + role + " PASSWORD '" + after + "';");
        bao.put("app/db", Map.of("password", after));
        Pattern applied =
            Pattern.compile(
                "bao-injector agent: applied revision \\d+ to HikariPool-1 \\(DB_PASSWORD\\)");
        follow.awaitStderrLine(0, l -> applied.matcher(l).matches(), WAIT);
        nullUser.awaitStderrLine(0, l -> applied.matcher(l).matches(), WAIT);
        off.awaitLine(0, "env changed"::equals, WAIT); // the agent has the value; the pool doesn't

        pg.sql(
            "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE usename = '"
                + role
                + "';");
        for (ChildProcess app : apps) {
          mark(app);
        }
        for (ChildProcess app : apps) {
          int mark = app.awaitLine(0, "mark"::equals, WAIT);
          app.awaitLine(mark + AFTER_CUT, l -> l.matches("(ok|failed) .*"), WAIT);
        }
        assertAllAfterMark(follow, "ok ");
        assertAllAfterMark(nullUser, "ok ");
        assertAllAfterMark(off, "failed ");
        assertAllAfterMark(noAgent, "failed ");
        assertFalse(off.stderr().contains("applied revision"), off.output());
        for (ChildProcess app : apps) {
          for (String secret : List.of(before, after)) {
            assertFalse(app.output().contains(secret), "a secret was printed:\n" + app.output());
            assertFalse(sidecar.stderr().contains(secret), "a secret was printed by the sidecar");
          }
        }
      } finally {
        for (ChildProcess app : apps) {
          app.close();
        }
      }
    }
  }

  /**
   * User name and password both managed: a password-only rotation keeps the pool's connections
   * ({@code follow}) or soft-evicts them ({@code evict-idle}); a rotation that changes the user
   * name soft-evicts them in both modes, so every query after it runs as the new role without any
   * connection being cut (HikariCP's own maxLifetime is 30 minutes).
   */
  @ParameterizedTest(name = "HikariCP {0}")
  @ValueSource(strings = {"4.0.3", "7.1.0"})
  @Timeout(100)
  void aNewUserNameEvictsThePoolsConnections(String version, OpenBao bao, @TempDir Path work)
      throws Exception {
    String tag = version.replace('.', '_');
    String roleA = "a_" + tag;
    String roleB = "b_" + tag;
    String pa = password();
    String pb = password();
    pg.sql("CREATE ROLE " + roleA + " LOGIN PASSWORD '" + pa + "';");
    pg.sql("CREATE ROLE " + roleB + " LOGIN PASSWORD '" + pb + "';");
    bao.put("app/db", Map.of("user", roleA, "password", pa));
    List<Path> cp = classPath(version);
    Map<String, String> env = Map.of("DB_URL", pg.jdbcUrl());
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      String agent = AGENT_JAR + "=socket=" + sock;
      try (SidecarProcess sidecar = startSidecar(bao, work, sock, true);
          ChildProcess follow = startApp("follow", work, cp, agent, env);
          ChildProcess evict = startApp("evict-idle", work, cp, agent + ",pools=evict-idle", env)) {
        // mark 1: every query before it ran before the rotation
        for (ChildProcess app : List.of(follow, evict)) {
          app.awaitLine(0, l -> l.startsWith("ok "), WAIT);
          mark(app);
          app.awaitLine(0, "mark"::equals, WAIT);
        }

        String pa2 = password();
        pg.sql("ALTER ROLE " + roleA + " PASSWORD '" + pa2 + "';");
        bao.put("app/db", Map.of("user", roleA, "password", pa2));
        follow.awaitStderrLine(0, l -> l.endsWith("to HikariPool-1 (DB_PASSWORD)"), WAIT);
        evict.awaitStderrLine(
            0, l -> l.endsWith("to HikariPool-1 (DB_PASSWORD); connections soft-evicted"), WAIT);
        // mark 2: every query after it ran after the rotation was applied
        for (ChildProcess app : List.of(follow, evict)) {
          mark(app);
          awaitQueriesAfterMark(app, 2, 3);
        }
        Set<String> followAfter = pidsAfterMark(follow, 2);
        assertTrue(
            pidsBeforeMark(follow, 1).containsAll(followAfter),
            "follow kept its connections\n" + follow.output());
        Set<String> evictAfter = pidsAfterMark(evict, 2);
        evictAfter.retainAll(pidsBeforeMark(evict, 1));
        assertEquals(
            Set.of(), evictAfter, "evict-idle replaced its connections\n" + evict.output());

        bao.put("app/db", Map.of("user", roleB, "password", pb));
        for (ChildProcess app : List.of(follow, evict)) {
          app.awaitStderrLine(
              0,
              l ->
                  l.contains("to HikariPool-1 (")
                      && l.contains("DB_USER")
                      && l.endsWith("; user name changed, connections soft-evicted"),
              WAIT);
          mark(app); // mark 3
          awaitQueriesAfterMark(app, 3, AFTER_CUT);
          List<String> lines = app.stdoutLines();
          List<String> queries =
              lines.subList(markIndex(lines, 3) + 1, lines.size()).stream()
                  .filter(l -> l.matches("(ok|failed) .*"))
                  .toList();
          assertTrue(
              queries.stream().allMatch(l -> l.matches("ok \\d+ " + roleB + " \\d+")),
              app.name() + ": every query after the change runs as " + roleB + "\n" + app.output());
        }
        for (String secret : List.of(pa, pa2, pb)) {
          for (ChildProcess app : List.of(follow, evict)) {
            assertFalse(app.output().contains(secret), "a secret was printed:\n" + app.output());
          }
          assertFalse(sidecar.stderr().contains(secret), "a secret was printed by the sidecar");
        }
      }
    }
  }

  private static void awaitQueriesAfterMark(ChildProcess app, int mark, int queries) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      List<String> lines = app.stdoutLines();
      int at = lines.stream().filter("mark"::equals).count() >= mark ? markIndex(lines, mark) : -1;
      if (at >= 0
          && lines.subList(at + 1, lines.size()).stream()
                  .filter(l -> l.matches("(ok|failed) .*"))
                  .count()
              >= queries) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            app.name() + ": no " + queries + " queries after mark " + mark + "\n" + app.output());
      }
      app.awaitLine(lines.size(), l -> true, WAIT);
    }
  }

  /** Backend pids of the queries before the {@code n}th mark. */
  private static Set<String> pidsBeforeMark(ChildProcess app, int n) {
    List<String> lines = app.stdoutLines();
    return pids(lines.subList(0, markIndex(lines, n)));
  }

  private static Set<String> pidsAfterMark(ChildProcess app, int n) {
    List<String> lines = app.stdoutLines();
    return pids(lines.subList(markIndex(lines, n) + 1, lines.size()));
  }

  private static int markIndex(List<String> lines, int n) {
    for (int i = 0, seen = 0; i < lines.size(); i++) {
      if (lines.get(i).equals("mark") && ++seen == n) {
        return i;
      }
    }
    throw new AssertionError("no mark " + n + " in " + lines);
  }

  private static Set<String> pids(List<String> lines) {
    Set<String> pids = new HashSet<>();
    for (String l : lines) {
      if (l.startsWith("ok ")) {
        pids.add(l.substring(l.lastIndexOf(' ') + 1));
      }
    }
    return pids;
  }

  static List<Path> classPath(String version) {
    List<Path> cp =
        List.of(
            APP_CLASSES,
            LIBS.resolve("HikariCP-" + version + ".jar"),
            LIBS.resolve("postgresql-42.7.11.jar"),
            LIBS.resolve("slf4j-api-2.0.17.jar"));
    for (Path p : cp) {
      assertTrue(Files.exists(p), "missing " + p + " (pre-integration-test copies it)");
    }
    return cp;
  }

  private static void assertAllAfterMark(ChildProcess app, String prefix) {
    List<String> lines = app.stdoutLines();
    List<String> after = lines.subList(lines.indexOf("mark") + 1, lines.size());
    List<String> queries = after.stream().filter(l -> l.matches("(ok|failed) .*")).toList();
    assertTrue(queries.size() >= AFTER_CUT, app.output());
    assertEquals(
        List.of(),
        queries.stream().filter(l -> !l.startsWith(prefix)).toList(),
        app.name()
            + ": every query after the cut should start with '"
            + prefix
            + "'\n"
            + app.output());
  }

  static String password() {
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    return "pw-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static SidecarProcess startSidecar(OpenBao bao, Path work, Path sock, boolean user)
      throws Exception {
    Path cfg = work.resolve("sidecar.yaml");
    Files.writeString(
        cfg,
        String.join(
            "\n",
            "auth:",
            "  method: token",
            "secrets:",
            "  DB_PASSWORD: secret/app/db#password",
            user ? "  DB_USER: secret/app/db#user" : "",
            "refresh:",
            "  interval: 1s",
            "outputs:",
            "  socket:",
            "    path: " + sock,
            ""));
    return SidecarProcess.startReady(
        work, Map.of("BAO_ADDR", bao.address(), "BAO_TOKEN", bao.rootToken()), cfg, sock);
  }

  /**
   * {@link PoolApp} in its own JVM with {@code classPath} (one HikariCP version), with {@code
   * -javaagent:AGENT} unless it is null, in a clean environment plus {@code env}.
   */
  static ChildProcess startApp(
      String label,
      Path work,
      List<Path> classPath,
      String agent,
      Map<String, String> env,
      String... args) {
    List<String> jvm = new ArrayList<>();
    if (agent != null) {
      jvm.add("-javaagent:" + agent);
    }
    jvm.add("-cp");
    jvm.add(String.join(":", classPath.stream().map(Path::toString).toList()));
    jvm.add("example.pool.PoolApp");
    jvm.addAll(List.of(args));
    return ChildProcess.start(label, work, ChildProcess.java(jvm), env);
  }

  /** Writes {@code mark} to the app's stdin; it prints it before its next query. */
  static void mark(ChildProcess app) throws IOException {
    OutputStream stdin = app.process().getOutputStream();
    stdin.write("mark\n".getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }
}
