package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The overlap arithmetic of one lease, on a clock the test moves. */
class LeaseTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void aRenewalAnsweringLessThanAskedRevealsTheHardExpiry() {
    // default_ttl 30s, max_ttl 2m, overlap 60s
    Lease l = new Lease("id", Duration.ofSeconds(30), true, T0);
    Duration overlap = Duration.ofSeconds(60);
    assertEquals(90, l.increment(overlap), "asks TTL + overlap");
    assertEquals(at(20), l.renewTime(), "2/3 of the TTL");
    l.renewed(90, Duration.ofSeconds(90), true, at(20));
    assertNull(l.hardExpiry(), "got what it asked: no cap in sight");
    assertEquals(at(40), l.renewTime(), "still every 2/3 of the first TTL, not of 90s");
    l.renewed(90, Duration.ofSeconds(80), true, at(40));
    assertEquals(at(120), l.hardExpiry(), "capped at 40s + 80s = max_ttl");
    assertNull(l.renewTime(), "no renewal can extend it further");
    assertEquals(Duration.ofSeconds(60), l.overlap(overlap), "60s is half of 2m: allowed");
    assertEquals(at(60), l.successorAt(overlap));
    assertTrue(at(40).isBefore(l.successorAt(overlap)), "learned before the successor is due");
  }

  @Test
  void theCapIsLearnedBeforeTheOverlapStartsWhateverTheRatioOfTtlToOverlap() {
    for (long ttl : new long[] {5, 10, 30, 60, 300}) {
      for (long max : new long[] {2 * ttl, 4 * ttl, 10 * ttl + 7}) {
        for (long ov : new long[] {1, 10, 60, 600}) {
          Duration overlap = Duration.ofSeconds(ov);
          Lease l = new Lease("id", Duration.ofSeconds(ttl), true, T0);
          Instant now = T0;
          Instant learnedAt = null;
          for (int i = 0; i < 10_000 && l.hardExpiry() == null; i++) {
            now = l.renewTime();
            long ask = l.increment(overlap);
            // OpenBao answers whole seconds, rounded down
            long left = (max * 1000 - Duration.between(T0, now).toMillis()) / 1000;
            l.renewed(ask, Duration.ofSeconds(Math.min(ask, left)), true, now);
            learnedAt = now;
          }
          String c = "ttl " + ttl + " max " + max + " overlap " + ov;
          assertFalse(l.hardExpiry().isAfter(at(max)), c + ": never later than the real cap");
          assertTrue(l.hardExpiry().isAfter(at(max - 1)), c + ": within a second of it");
          assertFalse(learnedAt.isAfter(l.successorAt(overlap)), c + ": learned in time");
        }
      }
    }
  }

  @Test
  void aMaxTtlEqualToTheTtlShowsAtTheFirstRenewalAndTheSuccessorIsReadAtOnce() {
    // max_ttl == default_ttl == 30s: the first renewal (at 20s) is capped to 10s
    Lease l = new Lease("id", Duration.ofSeconds(30), true, T0);
    l.renewed(90, Duration.ofSeconds(10), true, at(20));
    assertEquals(at(30), l.hardExpiry());
    assertEquals(at(15), l.successorAt(Duration.ofSeconds(60)), "due already: read now");
  }

  @Test
  void anOverlapLongerThanHalfTheLeaseIsCutToHalf() {
    Lease l = new Lease("id", Duration.ofSeconds(30), true, T0);
    l.renewed(90, Duration.ofSeconds(20), true, at(20)); // max_ttl 40s
    assertEquals(at(40), l.hardExpiry());
    assertEquals(Duration.ofSeconds(20), l.overlap(Duration.ofSeconds(60)), "half of 40s");
    assertEquals(at(20), l.successorAt(Duration.ofSeconds(60)));
    assertEquals(Duration.ofSeconds(5), l.overlap(Duration.ofSeconds(5)), "a short one is kept");
  }

  @Test
  void aLeaseThatIsNotRenewableEndsAtItsTtl() {
    Lease l = new Lease("id", Duration.ofSeconds(100), false, T0);
    assertEquals(at(100), l.hardExpiry());
    assertNull(l.renewTime());
    assertEquals(at(50), l.successorAt(Duration.ofSeconds(60)), "overlap cut to half of 100s");
    assertEquals(at(90), l.successorAt(Duration.ofSeconds(10)));
  }

  @Test
  void aRefusedRenewalMakesTheCurrentExpiryHard() {
    Lease l = new Lease("id", Duration.ofSeconds(30), true, T0);
    l.renewalRefused();
    assertEquals(at(30), l.hardExpiry());
    assertEquals(at(15), l.successorAt(Duration.ofSeconds(60)));
  }

  @Test
  void aReplacedLeaseIsRevokedWhenItsOverlapEndsAndBeforeItExpires() {
    Lease l = new Lease("id", Duration.ofSeconds(30), true, T0);
    l.renewed(90, Duration.ofSeconds(80), true, at(40)); // hard at 120
    Duration overlap = Duration.ofSeconds(60);
    assertEquals(at(119), l.revokeAt(at(60), overlap), "replaced on time: a second before 120");
    assertEquals(at(119), l.revokeAt(at(100), overlap), "replaced late: still at its expiry");
    Duration shortOverlap = Duration.ofSeconds(10);
    assertEquals(at(110), l.revokeAt(at(100), shortOverlap), "replaced on time: overlap later");
    assertEquals(
        at(119).plusMillis(500), l.revokeAt(at(119).plusMillis(500), overlap), "never before");
  }

  @Test
  void aLeaseIdNeverShowsInToString() {
    Lease l = new Lease("database/creds/app/CANARYLEASE", Duration.ofSeconds(30), true, T0);
    assertFalse(l.toString().contains("CANARYLEASE"));
  }
}
