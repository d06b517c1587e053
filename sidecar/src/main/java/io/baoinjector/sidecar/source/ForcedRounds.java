package io.baoinjector.sidecar.source;

import io.baoinjector.sidecar.snapshot.Snapshot;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Requests for a round now ({@code POST /v1/refresh}, SIGHUP), coalesced and rate-limited.
 *
 * <p>Every request made before the next round starts shares that round's future; the round takes
 * the future when it starts, so a request always gets a round that started after it arrived (a
 * round already running may have read a path before the caller's {@code kv put}). At most one
 * forced round starts per {@link #MIN_GAP}: a request inside the limit waits for the next permitted
 * round rather than failing, so a script that refreshes in a loop costs OpenBao one round per
 * second at most. Thread-safe with its own lock: callers are Jetty and signal threads, which must
 * never wait for the {@link Refresher}'s lock while a round is stuck on a hung OpenBao.
 */
final class ForcedRounds {
  static final Duration MIN_GAP = Duration.ofSeconds(1);

  private final LongSupplier nanos;
  private final long gapNanos;
  private CompletableFuture<Snapshot> pending;
  private long lastStart;
  private boolean started;

  ForcedRounds(Duration gap, LongSupplier nanos) {
    this.gapNanos = gap.toNanos();
    this.nanos = nanos;
  }

  /** A request: the future of the next round, and whether that round still needs scheduling. */
  record Ask(CompletableFuture<Snapshot> future, boolean first) {}

  synchronized Ask ask() {
    if (pending != null) {
      return new Ask(pending, false);
    }
    pending = new CompletableFuture<>();
    return new Ask(pending, true);
  }

  synchronized boolean hasPending() {
    return pending != null;
  }

  /** How long a forced round must still wait for the rate limit; zero when it may start now. */
  synchronized Duration untilAllowed() {
    if (!started) {
      return Duration.ZERO;
    }
    long wait = lastStart + gapNanos - nanos.getAsLong();
    return wait <= 0 ? Duration.ZERO : Duration.ofNanos(wait);
  }

  /**
   * A round starts: takes the requests waiting for it (null when none). A forced round takes them
   * only when the rate limit allows; a round that runs anyway (the schedule's) always does.
   */
  synchronized CompletableFuture<Snapshot> take(boolean forced) {
    if (pending == null || (forced && !untilAllowed().isZero())) {
      return null;
    }
    CompletableFuture<Snapshot> f = pending;
    pending = null;
    lastStart = nanos.getAsLong();
    started = true;
    return f;
  }
}
