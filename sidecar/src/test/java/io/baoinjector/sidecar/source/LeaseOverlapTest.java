package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.baoinjector.sidecar.config.LeaseSettings;
import io.baoinjector.sidecar.config.TestSettings;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.UnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A leased path driven through minutes of leases on a clock the test moves, against a scripted
 * database engine that caps renewals at max_ttl as OpenBao does (checked against OpenBao 2.7.2: a
 * renewal past the cap answers the time left, with a warning). The real engine and PostgreSQL are
 * in {@code DynamicDatabaseCredsIT}.
 */
class LeaseOverlapTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PATH = "database/creds/app";

  /** The database secrets engine's lease rules, in memory. */
  static final class Engine extends Reader {
    final ManualClock clock;
    final long ttl;
    final long maxTtl;
    final Map<String, Instant[]> live = new LinkedHashMap<>(); // id -> {issued, expires}
    final List<String> revoked = new ArrayList<>();
    final List<Long> asked = new ArrayList<>();
    int reads;
    boolean down;

    Engine(ManualClock clock, long ttl, long maxTtl) {
      super(null, null);
      this.clock = clock;
      this.ttl = ttl;
      this.maxTtl = maxTtl;
    }

    void expire() {
      live.values().removeIf(v -> !clock.instant().isBefore(v[1]));
    }

    @Override
    JsonNode get(String apiPath) {
      check();
      reads++;
      String id = PATH + "/lease" + reads;
      Instant now = clock.instant();
      live.put(id, new Instant[] {now, now.plusSeconds(Math.min(ttl, maxTtl))});
      ObjectNode r = JSON.createObjectNode();
      r.put("lease_id", id).put("lease_duration", Math.min(ttl, maxTtl)).put("renewable", true);
      r.putObject("data").put("username", "v-app-" + reads).put("password", "pw-" + reads);
      return r;
    }

    @Override
    JsonNode put(String apiPath, Object body) {
      check();
      @SuppressWarnings("unchecked")
      Map<String, Object> b = (Map<String, Object>) body;
      String id = (String) b.get("lease_id");
      Instant now = clock.instant();
      switch (apiPath) {
        case "sys/leases/renew" -> {
          Instant[] l = live.get(id);
          if (l == null) {
            throw new OpenBaoException("PUT", apiPath, 400, List.of("lease not found"), null, null);
          }
          long inc = ((Number) b.get("increment")).longValue();
          asked.add(inc);
          long left = (Duration.between(now, l[0].plusSeconds(maxTtl)).toMillis()) / 1000;
          long got = Math.min(inc, left);
          l[1] = now.plusSeconds(got);
          return JSON.createObjectNode().put("lease_duration", got).put("renewable", true);
        }
        case "sys/leases/revoke" -> {
          live.remove(id);
          revoked.add(id);
          return JSON.createObjectNode();
        }
        default -> throw new AssertionError(apiPath);
      }
    }

    private void check() {
      if (down) {
        throw new UnavailableException("PUT", "x", 503, List.of("sealed"), "sealed", null);
      }
    }
  }

  record Run(Engine engine, List<String> usernames, int maxLive) {}

  /** Steps the clock by 250ms for {@code seconds}, refreshing whenever the source is due. */
  static Run run(long ttl, long max, LeaseSettings settings, long seconds) {
    ManualClock clock = new ManualClock();
    Engine e = new Engine(clock, ttl, max);
    DirectSource s = new DirectSource(PATH, e, RefreshObserver.NOOP, settings);
    List<String> users = new ArrayList<>();
    SecretData d = s.refresh(clock.instant());
    users.add(d.data().get("username").reveal());
    int maxLive = 1;
    Instant end = clock.instant().plusSeconds(seconds);
    while (clock.instant().isBefore(end)) {
      clock.advance(Duration.ofMillis(250));
      e.expire();
      if (!clock.instant().isBefore(s.due())) {
        d = s.refresh(clock.instant());
        String u = d.data().get("username").reveal();
        assertEquals("pw-" + u.substring("v-app-".length()), d.data().get("password").reveal());
        if (!u.equals(users.get(users.size() - 1))) {
          users.add(u);
        }
      }
      assertTrue(e.live.containsKey(s.leaseId()), "the served lease is live at " + clock.instant());
      maxLive = Math.max(maxLive, e.live.size());
      assertEquals(e.live.size(), s.leases().size(), "health lists every live lease");
    }
    return new Run(e, users, maxLive);
  }

  @Test
  void issueFigures30sAnd2mOverlap60sReplacesEachLeaseAMinuteEarlyAndRevokesTheOldOne() {
    Run r = run(30, 120, LeaseSettings.DEFAULTS, 290);
    // leases at 0, 60, 120, 180, 240 s: successor at hard expiry (issue + 2m) minus 60s
    assertEquals(List.of("v-app-1", "v-app-2", "v-app-3", "v-app-4", "v-app-5"), r.usernames());
    assertEquals(2, r.maxLive(), "two leases only in an overlap");
    assertEquals(
        List.of(PATH + "/lease1", PATH + "/lease2", PATH + "/lease3"),
        r.engine().revoked,
        "each replaced lease revoked a second before its hard expiry (119s, 179s, 239s)");
    assertTrue(r.engine().asked.stream().allMatch(a -> a == 90), "asks TTL + overlap");
  }

  @Test
  void anOverlapLongerThanHalfTheLeaseIsCutAndLeasesNeverStack() {
    // 10s/40s with a 60s overlap: cut to 20s, successor every 20s
    Run r = run(10, 40, TestSettings.leases(Duration.ofSeconds(60), true), 90);
    assertEquals(2, r.maxLive());
    assertEquals(5, r.usernames().size(), "leases at 0, 20, 40, 60, 80 s: " + r.usernames());
  }

  @Test
  void withRevokeReplacedFalseTheOldLeaseIsLeftToExpire() {
    Run r = run(30, 120, TestSettings.leases(Duration.ofSeconds(60), false), 200);
    assertEquals(List.of(), r.engine().revoked);
    assertEquals(2, r.maxLive());
    assertEquals(4, r.usernames().size(), r.usernames().toString());
  }

  @Test
  void anOutageDuringTheOverlapKeepsTheOldLeaseAndRevokesItOnceOpenBaoIsBack() {
    ManualClock clock = new ManualClock();
    Engine e = new Engine(clock, 30, 120);
    DirectSource s = new DirectSource(PATH, e, RefreshObserver.NOOP, LeaseSettings.DEFAULTS);
    Instant start = clock.instant();
    s.refresh(start);
    while (e.reads < 2) {
      clock.advance(Duration.ofSeconds(1));
      s.refresh(clock.instant());
    }
    assertEquals(Duration.ofSeconds(60), Duration.between(start, clock.instant()));
    String served = s.leaseId();
    while (Duration.between(start, clock.instant()).toSeconds() < 118) {
      clock.advance(Duration.ofSeconds(1));
      s.refresh(clock.instant());
    }
    clock.advance(Duration.ofSeconds(1)); // the revocation is due at 119s
    e.down = true;
    assertThrowsUnavailable(() -> s.refresh(clock.instant()));
    assertEquals(2, s.leases().size(), "still tracked: revoked when OpenBao is back");
    e.down = false;
    s.refresh(clock.instant());
    assertEquals(List.of(PATH + "/lease1"), e.revoked);
    assertEquals(served, s.leaseId());
    assertNotEquals(PATH + "/lease1", served);
  }

  @Test
  void noLeaseIdInHealthOrLogs() {
    ManualClock clock = new ManualClock();
    Engine e = new Engine(clock, 30, 120);
    DirectSource s = new DirectSource(PATH, e, RefreshObserver.NOOP, LeaseSettings.DEFAULTS);
    s.refresh(clock.instant());
    assertFalse(s.leases().toString().contains("lease1"), s.leases().toString());
  }

  private static void assertThrowsUnavailable(Runnable r) {
    try {
      r.run();
    } catch (UnavailableException expected) {
      return;
    }
    throw new AssertionError("expected an outage");
  }
}
