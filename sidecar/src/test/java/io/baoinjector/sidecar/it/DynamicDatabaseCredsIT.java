package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic credentials from OpenBao's database secrets engine, for a real PostgreSQL, through the
 * real sidecar, under an app that opens a new connection for every query with the credentials it
 * reads right then (the file output and the socket in turn). In verify: 10s/40s leases for 100 s;
 * with {@code -Pfault-soak} ({@code -Dfault.soak=true}): the 30s/2m leases for 5 minutes.
 *
 * <p>Shows: no failed query; successive lease usernames; each replaced lease revoked after its
 * overlap (its role gone from {@code pg_roles}, its lease gone from OpenBao); never more than two
 * leases live, and two only during an overlap; no lease id in the sidecar's output.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(600)
class DynamicDatabaseCredsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final boolean SOAK = Boolean.getBoolean("fault.soak");
  static final long TTL = SOAK ? 30 : 10;
  static final long MAX_TTL = SOAK ? 120 : 40;
  static final long OVERLAP = SOAK ? 60 : 15;
  static final Duration RUN = Duration.ofSeconds(SOAK ? 300 : 100);
  static final String SUPERUSER_PASSWORD = "pg-root-canary-5f1e";

  @Test
  void anAppKeepsQueryingThroughSuccessiveLeasesAndReplacedLeasesAreRevoked(
      OpenBao bao, @TempDir Path work) throws Exception {
    try (PostgresServer pg = PostgresServer.start();
        TmpfsDir t = new TmpfsDir()) {
      DatabaseEngine.mount(bao, pg, SUPERUSER_PASSWORD, TTL, MAX_TTL, List.of());
      Path cfg = work.resolve("sidecar.yaml");
      Path sock = t.resolve("agent.sock");
      Path file = t.resolve("db.json");
      Files.writeString(
          cfg,
          """
          openbao:
            address: %s
          secrets:
            PG_USER: database/creds/app#username
            PG_PASSWORD: database/creds/app#password
          leases:
            overlap: %ds
          refresh:
            interval: 5s
          outputs:
            socket:
              path: %s
            files:
              - path: %s
                format: json
          """
              .formatted(bao.address(), OVERLAP, sock, file));
      try (SidecarProcess p =
              SidecarProcess.start(
                  work, Map.of("BAO_TOKEN", bao.rootToken()), "run", "-c", cfg.toString());
          Connection admin =
              DriverManager.getConnection(pg.jdbcUrl(), "postgres", SUPERUSER_PASSWORD)) {
        p.awaitReady(sock);
        Observed o = runApp(bao, pg, admin, sock, file);
        String out = p.stdout() + p.stderr();

        assertEquals(0, o.failures.size(), "failed queries: " + o.failures);
        assertTrue(o.queries > RUN.toSeconds(), "queries: " + o.queries);
        long expectedLeases = RUN.toSeconds() / (MAX_TTL - Math.min(OVERLAP, MAX_TTL / 2));
        assertTrue(
            o.usernames.size() >= expectedLeases,
            "successive usernames (want " + expectedLeases + "): " + o.usernames.size());
        assertTrue(o.maxLive <= 2, "never more than two leases live: " + o.maxLive);
        assertEquals(Set.of(1, 2), o.healthSizes, "health lists the live leases");
        assertTrue(o.healthShowedOverlap, "health marks the old lease replaced in an overlap");
        // two live only in an overlap: at most OVERLAP (+ 2 s of sampling) per replacement
        long replacements = o.usernames.size() - 1;
        assertTrue(
            o.twoLiveSeconds <= replacements * (OVERLAP + 2),
            "seconds with two leases live: " + o.twoLiveSeconds + " for " + replacements);
        // every replaced role is gone, revoked by the sidecar before its hard expiry
        List<String> replaced = new ArrayList<>(o.usernames);
        String served = replaced.remove(replaced.size() - 1);
        Set<String> roles = roles(admin);
        for (String u : replaced.subList(0, replaced.size() - 1)) {
          assertFalse(roles.contains(u), u + " still in pg_roles: " + roles);
        }
        assertTrue(roles.contains(served), "the served role exists");
        int revokes = count(out, "revoked the replaced lease");
        assertTrue(revokes >= replaced.size() - 1, "revocations logged: " + revokes);
        for (String id : o.leaseIds) {
          assertFalse(out.contains(id.substring(id.lastIndexOf('/') + 1)), "a lease id in the log");
        }
        assertFalse(out.contains(SUPERUSER_PASSWORD));
        assertTrue(
            UnixHttp.get(sock, "/metrics")
                .body()
                .contains("bao_injector_lease_expiry_seconds{path=\"database/creds/app\""));
        System.out.printf(
            "LEASE-FIGURES ttl=%ds max_ttl=%ds overlap=%ds run=%ds queries=%d failed=%d"
                + " usernames=%d revoked=%d max_live=%d two_live_s=%d%n",
            TTL,
            MAX_TTL,
            OVERLAP,
            RUN.toSeconds(),
            o.queries,
            o.failures.size(),
            o.usernames.size(),
            revokes,
            o.maxLive,
            o.twoLiveSeconds);
      }
    }
  }

  static final class Observed {
    final List<String> failures = new ArrayList<>();
    final Set<String> usernames = new LinkedHashSet<>();
    final Set<String> leaseIds = new TreeSet<>();
    final Set<Integer> healthSizes = new TreeSet<>();
    boolean healthShowedOverlap;
    long queries;
    int maxLive;
    long twoLiveSeconds;
  }

  /**
   * The app: every ~200 ms reads the credentials (file, then socket, in turn) and opens a new
   * connection with them; every second counts the leases OpenBao holds for the path. Bounded by
   * {@link #RUN}; loopback only.
   */
  static Observed runApp(OpenBao bao, PostgresServer pg, Connection admin, Path sock, Path file)
      throws Exception {
    Observed o = new Observed();
    long end = System.nanoTime() + RUN.toNanos();
    long nextSample = 0;
    boolean fromFile = true;
    while (System.nanoTime() < end) {
      JsonNode creds =
          fromFile
              ? JSON.readTree(Files.readString(file))
              : JSON.readTree(UnixHttp.get(sock, "/v1/env").body()).path("values");
      fromFile = !fromFile;
      String user = creds.path("PG_USER").asText();
      Properties props = new Properties();
      props.setProperty("user", user);
      props.setProperty("password", creds.path("PG_PASSWORD").asText());
      props.setProperty("connectTimeout", "5");
      o.queries++;
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), props);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT current_user")) {
        rs.next();
        if (!user.equals(rs.getString(1))) {
          o.failures.add("connected as " + rs.getString(1) + " not " + user);
        }
        o.usernames.add(user);
      } catch (SQLException e) {
        // the message names the user, never the password
        o.failures.add((fromFile ? "socket " : "file ") + user + ": " + e.getMessage());
      }
      if (System.nanoTime() >= nextSample) {
        nextSample = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        List<String> live = DatabaseEngine.liveLeases(bao);
        o.leaseIds.addAll(live);
        JsonNode health = JSON.readTree(UnixHttp.get(sock, "/v1/health").body()).path("leases");
        o.healthSizes.add(health.size());
        for (JsonNode l : health) {
          if (l.path("replaced").asBoolean() && l.path("expires_in_s").asLong() <= MAX_TTL) {
            o.healthShowedOverlap = true;
          }
        }
        o.maxLive = Math.max(o.maxLive, live.size());
        if (live.size() > 1) {
          o.twoLiveSeconds++;
        }
      }
      Thread.sleep(200); // pacing the app, not waiting for an event
    }
    return o;
  }

  static Set<String> roles(Connection admin) throws SQLException {
    Set<String> out = new TreeSet<>();
    try (Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT rolname FROM pg_roles WHERE rolname LIKE 'v-%'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
