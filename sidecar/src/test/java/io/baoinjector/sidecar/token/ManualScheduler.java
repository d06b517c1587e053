package io.baoinjector.sidecar.token;

import io.baoinjector.sidecar.source.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A scheduler and clock under the test's control: tasks run only when the test says. */
final class ManualScheduler implements Scheduler {
  final ManualClock clock = new ManualClock();

  /** Every delay ever asked for, in order (cancelled ones too). */
  final List<Duration> delays = new ArrayList<>();

  private final List<Task> tasks = new ArrayList<>();

  private static final class Task {
    final Instant due;
    final Runnable run;
    boolean cancelled;

    Task(Instant due, Runnable run) {
      this.due = due;
      this.run = run;
    }
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    delays.add(delay);
    Task t = new Task(clock.instant().plus(delay), task);
    tasks.add(t);
    return () -> {
      synchronized (this) {
        t.cancelled = true;
      }
    };
  }

  @Override
  public void shutdown() {}

  synchronized int pending() {
    return (int) tasks.stream().filter(t -> !t.cancelled).count();
  }

  /** The delay of the most recent live task. */
  synchronized Duration lastDelay() {
    return delays.get(delays.size() - 1);
  }

  /** Advances the clock to the earliest live task and runs it. */
  void runNext() {
    Task next;
    synchronized (this) {
      Optional<Task> t =
          tasks.stream().filter(x -> !x.cancelled).min(Comparator.comparing(x -> x.due));
      if (t.isEmpty()) {
        throw new AssertionError("nothing scheduled");
      }
      next = t.get();
      tasks.remove(next);
      if (next.due.isAfter(clock.instant())) {
        clock.advance(Duration.between(clock.instant(), next.due));
      }
    }
    next.run.run();
  }
}
