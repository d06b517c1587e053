package io.baoinjector.sidecar.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.source.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotHubTest {

  private static Map<String, Snapshot.Entry> values(String v, Instant at) {
    return Map.of("DB_PASSWORD", new Snapshot.Entry(SecretValue.of(v), 1, "secret/app/db#p", at));
  }

  @Test
  void theStaleWindowIsTheIntervalPlusTheLargerOfFiveSecondsAndHalfTheInterval() {
    assertEquals(Duration.ofSeconds(6), SnapshotHub.staleWindow(Duration.ofSeconds(1)));
    assertEquals(Duration.ofSeconds(15), SnapshotHub.staleWindow(Duration.ofSeconds(10)));
    assertEquals(Duration.ofSeconds(45), SnapshotHub.staleWindow(Duration.ofSeconds(30)));
    assertEquals(Duration.ofMinutes(15), SnapshotHub.staleWindow(Duration.ofMinutes(10)));
  }

  @Test
  void valuesGoStaleWhenNoRoundReachesOpenBaoWithinTheWindow() {
    ManualClock clock = new ManualClock();
    SnapshotHub hub = new SnapshotHub("i", clock);
    hub.staleAfter(Duration.ofSeconds(45));
    assertFalse(hub.current().stale(), "nothing read yet is starting, not stale");

    Snapshot first = hub.publish(values("pw", clock.instant()), Map.of(), Set.of(), false, true);
    clock.advance(Duration.ofSeconds(45));
    assertFalse(hub.current().stale(), "at the edge of the window");
    clock.advance(Duration.ofSeconds(1));
    Snapshot aged = hub.current();
    assertTrue(aged.stale(), "no publish for 46 s: the blocked round does not hold stale back");
    assertEquals(first.revision(), aged.revision());
    assertEquals("pw", aged.values().get("DB_PASSWORD").value().reveal());
    assertTrue(aged == hub.current(), "copied once while it stays aged");

    hub.publish(values("pw", clock.instant()), Map.of(), Set.of(), false, true);
    assertFalse(hub.current().stale(), "a round that reached OpenBao makes it fresh");
  }

  @Test
  void anOutageRoundIsStaleAtOnce() {
    ManualClock clock = new ManualClock();
    SnapshotHub hub = new SnapshotHub("i", clock);
    hub.staleAfter(Duration.ofSeconds(6));
    hub.publish(values("pw", clock.instant()), Map.of(), Set.of(), false, true);
    clock.advance(Duration.ofSeconds(1));
    assertTrue(hub.publish(values("pw", clock.instant()), Map.of(), Set.of(), true, true).stale());
    assertTrue(hub.current().stale(), "well within the window, yet stale: OpenBao said no");
  }
}
