package io.baoinjector.sidecar.output.socket;

import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.sidecar.snapshot.SnapshotListener;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Parked long-poll requests, without a thread per waiter: each waiter is a callback completed by
 * the snapshot listener (a new revision) or by a timer (the wait ran out), whichever comes first.
 * Completion runs on the timer thread so the publishing thread only enqueues. A waiter whose client
 * went away is cancelled by the request's failure listener, and is removed by its timer at the
 * latest, so nothing outlives its {@code wait}.
 */
final class LongPolls implements SnapshotListener {
  private final SnapshotHub hub;
  private final ScheduledExecutorService timer;
  private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();

  LongPolls(SnapshotHub hub, ScheduledExecutorService timer) {
    this.hub = hub;
    this.timer = timer;
  }

  final class Waiter {
    private final long after;
    private final Consumer<Snapshot> done;
    private final AtomicBoolean fired = new AtomicBoolean();
    private volatile ScheduledFuture<?> timeout;

    Waiter(long after, Consumer<Snapshot> done) {
      this.after = after;
      this.done = done;
    }

    /** Completes with the current snapshot (at most once). */
    void fire() {
      if (fired.compareAndSet(false, true)) {
        waiters.remove(this);
        ScheduledFuture<?> t = timeout;
        if (t != null) {
          t.cancel(false);
        }
        done.accept(hub.current());
      }
    }

    /** Forgets the waiter without answering (its client is gone). */
    void cancel() {
      if (fired.compareAndSet(false, true)) {
        waiters.remove(this);
        ScheduledFuture<?> t = timeout;
        if (t != null) {
          t.cancel(false);
        }
      }
    }
  }

  /** Parks a request until the revision is no longer {@code after}, or {@code wait} passed. */
  Waiter park(long after, Duration wait, Consumer<Snapshot> done) {
    Waiter w = new Waiter(after, done);
    waiters.add(w);
    w.timeout = timer.schedule(w::fire, wait.toMillis(), TimeUnit.MILLISECONDS);
    // A publish between the caller's check and add() would otherwise be missed.
    if (hub.current().revision() != after) {
      timer.execute(w::fire);
    }
    return w;
  }

  int size() {
    return waiters.size();
  }

  @Override
  public void onSnapshot(Snapshot previous, Snapshot next) {
    for (Waiter w : waiters) {
      if (next.revision() != w.after) {
        timer.execute(w::fire);
      }
    }
  }

  /** Answers every parked request now (shutdown). */
  void releaseAll() {
    for (Waiter w : waiters) {
      w.fire();
    }
  }
}
