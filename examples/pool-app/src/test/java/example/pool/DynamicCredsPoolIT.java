package example.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.testkit.ChildProcess;
import io.baoinjector.testkit.DatabaseEngine;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.PostgresServer;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.UnixHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unmodified {@link PoolApp} (HikariCP 7.1.0, one pool built at startup from {@code
 * System.getenv("DB_USER")} and {@code DB_PASSWORD}) under dynamic credentials from OpenBao's
 * database secrets engine for a real PostgreSQL, through the real sidecar and the agent. In verify:
 * 10s/40s leases, overlap 15 s, for 100 s; with {@code -Pfault-soak} ({@code -Dfault.soak=true}):
 * the 30s/2m leases, overlap 60 s, for 5 minutes.
 *
 * <p>The role's revocation terminates the role's sessions before dropping it, so a pool still
 * holding a connection of a revoked lease fails its next query instead of keeping a session whose
 * role is gone. Shows, with {@code pools=follow} (the default): no failed query; the pool's {@code
 * current_user} moves through successive lease usernames and never back; each replaced role is
 * dropped only after the overlap; never more than two leases live, two only in an overlap. The same
 * app with {@code pools=off} fails every query once its first lease is revoked.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(600)
class DynamicCredsPoolIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final boolean SOAK = Boolean.getBoolean("fault.soak");
  static final long TTL = SOAK ? 30 : 10;
  static final long MAX_TTL = SOAK ? 120 : 40;
  static final long OVERLAP = SOAK ? 60 : 15;
  static final Duration RUN = Duration.ofSeconds(SOAK ? 300 : 100);
  static final int MIN_USERNAMES = SOAK ? 4 : 3;
  static final long INTERVAL_MS = 150;
  static final String SUPERUSER_PASSWORD = "pg-root-canary-9d27";
  static final List<String> REVOCATION =
      List.of(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{{name}}';",
          "DROP ROLE IF EXISTS \"{{name}}\";");

  /** Queries of the {@code pools=off} app after its first role is gone that must all fail. */
  static final int AFTER_REVOKE = 5;

  @Test
  void aPoolBuiltOnceMovesThroughSuccessiveLeasesWithoutAFailedQuery(
      OpenBao bao, @TempDir Path work) throws Exception {
    assertTrue(
        Files.isRegularFile(PoolRotationIT.AGENT_JAR),
        "run `package` first: no " + PoolRotationIT.AGENT_JAR);
    List<Path> cp = PoolRotationIT.classPath("7.1.0");
    try (PostgresServer pg = PostgresServer.start();
        TmpfsDir t = new TmpfsDir()) {
      DatabaseEngine.mount(bao, pg, SUPERUSER_PASSWORD, TTL, MAX_TTL, REVOCATION);
      Path sock = t.resolve("agent.sock");
      Path cfg = work.resolve("sidecar.yaml");
      Files.writeString(
          cfg,
          """
          openbao:
            address: %s
          secrets:
            DB_USER: %s#username
            DB_PASSWORD: %s#password
          leases:
            overlap: %ds
          refresh:
            interval: 5s
          outputs:
            socket:
              path: %s
          """
              .formatted(bao.address(), DatabaseEngine.CREDS, DatabaseEngine.CREDS, OVERLAP, sock));
      String agent = PoolRotationIT.AGENT_JAR + "=socket=" + sock;
      Map<String, String> env = Map.of("DB_URL", pg.jdbcUrl());
      String[] args = {
        "--interval-ms=" + INTERVAL_MS, "--max-queries=" + 2 * RUN.toMillis() / INTERVAL_MS
      };
      try (SidecarProcess sidecar =
              SidecarProcess.startReady(work, Map.of("BAO_TOKEN", bao.rootToken()), cfg, sock);
          Connection admin =
              DriverManager.getConnection(pg.jdbcUrl(), "postgres", SUPERUSER_PASSWORD)) {
        try (ChildProcess follow = PoolRotationIT.startApp("follow", work, cp, agent, env, args);
            ChildProcess off =
                PoolRotationIT.startApp("off", work, cp, agent + ",pools=off", env, args)) {
          follow.awaitLine(0, l -> l.startsWith("ok "), PoolRotationIT.WAIT);
          off.awaitLine(0, l -> l.startsWith("ok "), PoolRotationIT.WAIT);
          Observed o = observe(bao, admin, sock, off);
          follow.close();
          off.close();
          String sidecarOut = sidecar.stdout() + sidecar.stderr();
          assertFigures(o, follow, off, sidecarOut);
        }
      }
    }
  }

  private static void assertFigures(
      Observed o, ChildProcess follow, ChildProcess off, String sidecarOut) {
    List<String> queries =
        follow.stdoutLines().stream().filter(l -> l.matches("(ok|failed) .*")).toList();
    List<String> failed = queries.stream().filter(l -> l.startsWith("failed ")).toList();
    assertEquals(List.of(), failed, "failed queries\n" + follow.output());
    assertTrue(queries.size() >= RUN.toSeconds(), "queries: " + queries.size());

    // the pool's current_user, in order: each lease's role once, never back to an earlier one
    List<String> runs = new ArrayList<>();
    for (String q : queries) {
      String user = q.split(" ")[2];
      if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(user)) {
        runs.add(user);
      }
    }
    Set<String> usernames = new LinkedHashSet<>(runs);
    assertEquals(runs.size(), usernames.size(), "back to an earlier lease's user: " + runs);
    assertTrue(usernames.size() >= MIN_USERNAMES, "successive lease usernames: " + runs);
    assertTrue(o.created.keySet().containsAll(usernames), runs + " not all from " + o.created);
    int softEvicted = count(follow.stderr(), "user name changed, connections soft-evicted");
    assertTrue(softEvicted >= usernames.size() - 1, "soft evictions: " + softEvicted);

    // each replaced role dropped once the overlap has run from its successor's creation; the
    // last one replaced may still be in its overlap when the run ends
    List<String> users = new ArrayList<>(usernames);
    int revoked = 0;
    for (int i = 0; i + 1 < users.size(); i++) {
      String old = users.get(i);
      Long gone = o.gone.get(old);
      Long next = o.created.get(users.get(i + 1));
      if (gone == null) {
        assertEquals(users.size() - 2, i, old + " never dropped; roles seen: " + o.created);
        continue;
      }
      revoked++;
      if (next != null) {
        // both times sampled once a second, and the revocation may come a second before the
        // old lease's hard expiry, which is where its overlap ends
        assertTrue(
            gone - next >= (OVERLAP - 3) * 1000,
            old + " dropped " + (gone - next) + " ms after its successor, overlap " + OVERLAP);
      }
    }
    assertTrue(revoked >= usernames.size() - 2, "revoked: " + revoked);
    int logged = count(sidecarOut, "revoked the replaced lease");
    assertTrue(logged >= revoked, "revocations logged " + logged + " < " + revoked);

    assertTrue(o.maxLive <= 2, "never more than two leases live: " + o.maxLive);
    long replacements = o.created.size() - 1;
    assertTrue(
        o.twoLiveSeconds <= replacements * (OVERLAP + 2),
        "seconds with two leases live: " + o.twoLiveSeconds + " for " + replacements);

    // without pool following the same app fails from its first revocation on
    assertTrue(o.offMark, "the pools=off app's first role was never dropped\n" + off.output());
    List<String> offLines = off.stdoutLines();
    List<String> offAfter =
        offLines.subList(offLines.indexOf("mark") + 1, offLines.size()).stream()
            .filter(l -> l.matches("(ok|failed) .*"))
            .toList();
    assertTrue(offAfter.size() >= AFTER_REVOKE, off.output());
    assertEquals(
        List.of(),
        offAfter.stream().filter(l -> !l.startsWith("failed ")).toList(),
        "pools=off: every query after the revocation fails\n" + off.output());
    assertFalse(off.stderr().contains("applied revision"), off.output());

    for (String secret : o.passwords) {
      for (String out : List.of(follow.output(), off.output(), sidecarOut)) {
        assertFalse(out.contains(secret), "a password was printed");
      }
    }
    assertFalse(sidecarOut.contains(SUPERUSER_PASSWORD));
    System.out.printf(
        "POOL-LEASE-FIGURES ttl=%ds max_ttl=%ds overlap=%ds run=%ds queries=%d failed=%d"
            + " usernames=%d revoked=%d max_live=%d two_live_s=%d off_failed_after_revoke=%d%n",
        TTL,
        MAX_TTL,
        OVERLAP,
        RUN.toSeconds(),
        queries.size(),
        failed.size(),
        usernames.size(),
        revoked,
        o.maxLive,
        o.twoLiveSeconds,
        offAfter.size());
  }

  static final class Observed {
    /** Lease roles by the time (ms into the run) they were first and last seen in pg_roles. */
    final Map<String, Long> created = new HashMap<>();

    final Map<String, Long> gone = new HashMap<>();
    final Set<String> passwords = new TreeSet<>();
    int maxLive;
    long twoLiveSeconds;
    boolean offMark;
  }

  /**
   * Once a second for {@link #RUN}: OpenBao's live leases of the path, the lease roles in pg_roles,
   * the password the socket serves (to check that none is printed). Marks the {@code pools=off} app
   * when the role it started with is gone, and stops it after {@link #AFTER_REVOKE} queries more.
   */
  private static Observed observe(OpenBao bao, Connection admin, Path sock, ChildProcess off)
      throws Exception {
    Observed o = new Observed();
    String offUser =
        off.stdoutLines().stream()
            .filter(l -> l.startsWith("ok "))
            .findFirst()
            .orElseThrow()
            .split(" ")[2];
    long start = System.nanoTime();
    long end = start + RUN.toNanos();
    boolean offStopped = false;
    while (System.nanoTime() < end) {
      long now = (System.nanoTime() - start) / 1_000_000;
      List<String> live = DatabaseEngine.liveLeases(bao);
      o.maxLive = Math.max(o.maxLive, live.size());
      if (live.size() > 1) {
        o.twoLiveSeconds++;
      }
      Set<String> roles = roles(admin);
      for (String r : roles) {
        o.created.putIfAbsent(r, now);
      }
      for (String r : o.created.keySet()) {
        if (!roles.contains(r)) {
          o.gone.putIfAbsent(r, now);
        }
      }
      JsonNode values = JSON.readTree(UnixHttp.get(sock, "/v1/env").body()).path("values");
      o.passwords.add(values.path("DB_PASSWORD").asText());
      if (!o.offMark && o.gone.containsKey(offUser)) {
        o.offMark = true;
        PoolRotationIT.mark(off);
      }
      if (o.offMark && !offStopped) {
        List<String> lines = off.stdoutLines();
        int mark = lines.indexOf("mark");
        if (mark >= 0
            && lines.subList(mark + 1, lines.size()).stream()
                    .filter(l -> l.matches("(ok|failed) .*"))
                    .count()
                >= AFTER_REVOKE) {
          off.close(); // enough shown; its failing connection attempts only add load
          offStopped = true;
        }
      }
      long spent = (System.nanoTime() - start) / 1_000_000 - now;
      Thread.sleep(Math.max(0, 1000 - spent)); // the sampling period, not waiting for an event
    }
    return o;
  }

  private static Set<String> roles(Connection admin) throws SQLException {
    Set<String> out = new TreeSet<>();
    try (Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT rolname FROM pg_roles WHERE rolname LIKE 'v-%'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
