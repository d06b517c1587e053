package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.snapshot.Snapshot;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ForcedRoundsTest {
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final ForcedRounds forced = new ForcedRounds(Duration.ofSeconds(1), nanos::get);

  @Test
  void requestsBeforeARoundStartsShareIt() {
    ForcedRounds.Ask a = forced.ask();
    ForcedRounds.Ask b = forced.ask();
    assertTrue(a.first(), "the first request schedules the round");
    assertFalse(b.first(), "the second joins it");
    assertSame(a.future(), b.future());
    assertEquals(Duration.ZERO, forced.untilAllowed(), "the first forced round may start at once");
    assertSame(a.future(), forced.take(true));
    assertFalse(forced.hasPending());
  }

  @Test
  void aRequestDuringARoundGetsTheNextOne() {
    CompletableFuture<Snapshot> running = forced.ask().future();
    assertSame(running, forced.take(true)); // the round starts
    ForcedRounds.Ask during = forced.ask(); // arrives while it runs: it may have read too early
    assertTrue(during.first());
    assertNotSame(running, during.future());
  }

  @Test
  void atMostOneForcedRoundPerGapAndTheRestWait() {
    forced.ask();
    forced.take(true);
    nanos.addAndGet(Duration.ofMillis(300).toNanos());
    CompletableFuture<Snapshot> next = forced.ask().future();
    assertEquals(Duration.ofMillis(700), forced.untilAllowed());
    assertNull(forced.take(true), "too early for a forced round");
    assertTrue(forced.hasPending(), "the request still waits, not refused");
    nanos.addAndGet(Duration.ofMillis(700).toNanos());
    assertSame(next, forced.take(true));
  }

  @Test
  void aScheduledRoundTakesWaitingRequestsWhateverTheLimit() {
    forced.ask();
    forced.take(true);
    CompletableFuture<Snapshot> next = forced.ask().future();
    assertSame(next, forced.take(false), "a round that runs anyway answers them");
    assertNull(forced.take(false), "none waiting");
  }
}
