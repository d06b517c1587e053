package io.baoinjector.sidecar.output.socket;

import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.sidecar.snapshot.SnapshotListener;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Parked long-poll requests, without a thread per waiter: each waiter is a callback completed by
 * the snapshot listener (the snapshot it waits for) or by a timer (the wait ran out), whichever
 * comes first. Completion runs on the timer thread so the publishing thread only enqueues. A waiter
 * whose client went away is cancelled by the request's failure listener, and is removed by its
 * timer at the latest, so nothing outlives its {@code wait}.
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
    private final Predicate<Snapshot> until;
    private final Consumer<Snapshot> done;
    private final AtomicBoolean fired = new AtomicBoolean();
    private volatile ScheduledFuture<?> timeout;

    Waiter(Predicate<Snapshot> until, Consumer<Snapshot> done) {
      this.until = until;
      this.done = done;
    }

    /** Completes with the current snapshot (at most once). */
    void fire() {
      if (retire()) {
        done.accept(hub.current());
      }
    }

    /**
     * Completes it soon on the timer thread, whatever {@code until} says: for a waiter answered by
     * something other than a snapshot (a refresh round ending), so that thread only enqueues.
     */
    void wake() {
      try {
        timer.execute(this::fire);
      } catch (RejectedExecutionException e) {
        // shutting down: releaseAll() answers every waiter
      }
    }

    /** Forgets the waiter without answering (its client is gone). */
    void cancel() {
      retire();
    }

    /** Takes the waiter out, once: false when it was answered or cancelled already. */
    private boolean retire() {
      if (!fired.compareAndSet(false, true)) {
        return false;
      }
      waiters.remove(this);
      ScheduledFuture<?> t = timeout;
      if (t != null) {
        t.cancel(false);
      }
      return true;
    }
  }

  /** Parks a request until a snapshot satisfies {@code until}, or {@code wait} passed. */
  Waiter park(Predicate<Snapshot> until, Duration wait, Consumer<Snapshot> done) {
    Waiter w = new Waiter(until, done);
    waiters.add(w);
    w.timeout = timer.schedule(w::fire, wait.toMillis(), TimeUnit.MILLISECONDS);
    // A publish between the caller's check and add() would otherwise be missed.
    if (until.test(hub.current())) {
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
      if (w.until.test(next)) {
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
