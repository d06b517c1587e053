package io.baoinjector.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration SEC = Duration.ofSeconds(1);
  private static final Duration FIVE_MIN = Duration.ofMinutes(5);

  private static List<Long> millis(Backoff b, int n) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(b.next().toMillis());
    }
    return out;
  }

  @Test
  void lowestJitterIsHalfOfADoublingCeiling() {
    Backoff b = new Backoff(SEC, FIVE_MIN, () -> 0.0);
    assertEquals(
        List.of(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 32000L, 64000L, 128000L, 150000L),
        millis(b, 10));
  }

  @Test
  void highestJitterIsTheCeilingCappedAtMax() {
    Backoff b = new Backoff(SEC, FIVE_MIN, () -> 0.999999);
    assertEquals(
        List.of(1000L, 2000L, 4000L, 8000L, 16000L, 32000L, 64000L, 128000L, 256000L, 300000L),
        millis(b, 10));
  }

  @Test
  void everyDelayIsWithinHalfAndFullCeiling() {
    Random r = new Random(42);
    Backoff b = new Backoff(SEC, FIVE_MIN, r::nextDouble);
    long ceiling = 1000;
    for (int i = 0; i < 30; i++) {
      long d = b.next().toMillis();
      assertTrue(d >= ceiling / 2 && d <= ceiling, "attempt " + i + ": " + d + " vs " + ceiling);
      ceiling = Math.min(ceiling * 2, FIVE_MIN.toMillis());
    }
  }

  @Test
  void staysAtMaxForeverWithoutOverflow() {
    Backoff b = new Backoff(SEC, Duration.ofDays(365_000), () -> 0.999999);
    Duration last = Duration.ZERO;
    for (int i = 0; i < 200; i++) {
      Duration d = b.next();
      assertTrue(d.compareTo(last) >= 0, "never shrinks: " + d + " after " + last);
      assertTrue(d.compareTo(Duration.ofDays(365_000)) <= 0);
      last = d;
    }
    assertTrue(
        last.toMillis() > Duration.ofDays(365_000).toMillis() * 0.99, "reached max: " + last);
    assertEquals(200, b.failures());
  }

  @Test
  void resetStartsOver() {
    Backoff b = new Backoff(SEC, FIVE_MIN, () -> 0.999999);
    millis(b, 5);
    b.reset();
    assertEquals(0, b.failures());
    assertEquals(Duration.ofSeconds(1), b.next());
  }

  @Test
  void floorWinsWhenLongerButStillCountsAFailure() {
    Backoff b = new Backoff(SEC, FIVE_MIN, () -> 0.0);
    assertEquals(Duration.ofSeconds(30), b.next(Duration.ofSeconds(30)));
    assertEquals(Duration.ofMillis(1000), b.next(Duration.ofMillis(10)), "second step");
    assertEquals(Duration.ofMillis(2000), b.next(null));
    assertEquals(3, b.failures());
  }

  @Test
  void neverZero() {
    Backoff b = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), () -> 0.0);
    for (int i = 0; i < 5; i++) {
      assertEquals(Duration.ofMillis(1), b.next());
    }
  }

  @Test
  void standardIsOneSecondToFiveMinutes() {
    Backoff b = Backoff.standard();
    long first = b.next().toMillis();
    assertTrue(first >= 500 && first <= 1000, "first: " + first);
    for (int i = 0; i < 20; i++) {
      assertTrue(b.next().compareTo(FIVE_MIN) <= 0);
    }
  }

  @Test
  void rejectsBadBounds() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, SEC));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(SEC, Duration.ofMillis(999)));
    assertThrows(NullPointerException.class, () -> new Backoff(null, SEC));
  }
}
