package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.backend.Backends;
import io.baoinjector.sidecar.config.OpenBaoSettings;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.sidecar.source.CachedValues.Cached;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Values from the cache are served stale, and ready, while no round reaches OpenBao; the first
 * round that does replaces them; a cached lease is never served past its expiry.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(120)
class CachedStartTest {
  private static final Instant WRITTEN = Instant.parse("2025-12-31T23:00:00Z");

  private static Cached kv(String value, String source, int version) {
    return new Cached(new Snapshot.Entry(SecretValue.of(value), version, source, WRITTEN), null);
  }

  private static SidecarConfig config(OpenBaoSettings settings) {
    return Fixtures.config(
        settings,
        Map.of(
            "DB_PASSWORD", "secret/app/db#password", "PG_PASSWORD", "database/creds/app#password"),
        List.of(),
        Map.of("spring.datasource.password", "secret/app/db#password"),
        Duration.ofSeconds(30));
  }

  /** A loopback port nothing listens on: every request is refused, as with OpenBao down. */
  private static OpenBaoSettings unreachable() throws Exception {
    return Fixtures.settings(URI.create("http://127.0.0.1:" + OpenBao.freePort()));
  }

  private static CachedValues cached(Instant leaseExpiry) {
    return new CachedValues(
        Map.of(
            "DB_PASSWORD",
            kv("cached-db", "secret/app/db#password", 3),
            "PG_PASSWORD",
            new Cached(
                new Snapshot.Entry(
                    SecretValue.of("cached-pg"), null, "database/creds/app#password", WRITTEN),
                leaseExpiry)),
        Map.of("spring.datasource.password", kv("cached-db", "secret/app/db#password", 3)),
        WRITTEN,
        "test");
  }

  @Test
  void cachedValuesServeStaleAndReadyWhileOpenBaoIsDown() throws Exception {
    ManualClock clock = new ManualClock();
    SnapshotHub hub = new SnapshotHub("test", clock);
    OpenBaoSettings settings = unreachable();
    Refresher r = Fixtures.refresher(config(settings), hub, clock, Backends.none());
    r.offerCached(cached(clock.instant().plus(Duration.ofMinutes(10))));
    assertEquals(0, hub.current().revision(), "offered, not served");
    Snapshot first = r.loadAll(); // the first round cannot reach OpenBao: the cache is served
    assertTrue(first.ready(), "every name has a value");
    assertTrue(first.stale());
    assertEquals("cached-db", first.values().get("DB_PASSWORD").value().reveal());
    assertEquals("cached-pg", first.values().get("PG_PASSWORD").value().reveal());
    assertEquals(
        "cached-db", first.properties().get("spring.datasource.password").value().reveal());
    assertEquals(3, first.values().get("DB_PASSWORD").version());
    assertTrue(first.unresolved().contains("DB_PASSWORD"), "not confirmed by this process");

    assertTrue(r.outage().isPresent());
    Snapshot down = r.loadAll();
    assertTrue(down.ready() && down.stale(), "an unreachable round keeps the cached values");
    assertEquals(first.revision(), down.revision());
    assertEquals("cached-pg", down.values().get("PG_PASSWORD").value().reveal());

    Duration next = r.roundAndNextDelay();
    assertTrue(
        next.compareTo(Duration.ofMinutes(10)) <= 0, "wakes by the lease's expiry; got " + next);
    clock.advance(Duration.ofMinutes(10));
    r.roundAndNextDelay();
    Snapshot expired = hub.current();
    assertFalse(
        expired.values().containsKey("PG_PASSWORD"), "a lease past its expiry is not served");
    assertEquals("cached-db", expired.values().get("DB_PASSWORD").value().reveal());
    assertFalse(expired.ready(), "PG_PASSWORD has no value left");
  }

  @Test
  void whenOpenBaoAnswersFirstTheCacheIsNeverSeen(OpenBao bao) {
    bao.put("app/db", Map.of("password", "fresh-db"));
    SidecarConfig cfg = Fixtures.config(bao, Map.of("DB_PASSWORD", "secret/app/db#password"));
    Refresher r = Fixtures.refresher(bao, cfg);
    CachedValues offer =
        new CachedValues(
            Map.of("DB_PASSWORD", kv("cached-db", "secret/app/db#password", 1)),
            Map.of(),
            WRITTEN,
            "test");
    r.offerCached(offer);
    Snapshot fresh = r.loadAll();
    assertFalse(fresh.stale());
    assertTrue(fresh.ready());
    assertTrue(fresh.unresolved().isEmpty());
    assertEquals("fresh-db", fresh.values().get("DB_PASSWORD").value().reveal());
    assertEquals(1, fresh.revision(), "the cached values were never published");
    assertEquals(fresh, r.serveCachedNow(), "a grace timer after OpenBao answered changes nothing");

    // served (a grace timer fired first): the first round that reaches OpenBao replaces them
    Refresher r2 = Fixtures.refresher(bao, cfg);
    r2.offerCached(offer);
    Snapshot served = r2.serveCachedNow();
    assertTrue(served.stale() && served.ready());
    assertEquals("cached-db", served.values().get("DB_PASSWORD").value().reveal());
    Snapshot replaced = r2.loadAll();
    assertFalse(replaced.stale());
    assertEquals("fresh-db", replaced.values().get("DB_PASSWORD").value().reveal());
    assertEquals(served.revision() + 1, replaced.revision(), "a new value is a new revision");
  }
}
