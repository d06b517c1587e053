package io.baoinjector.sidecar.token;

import io.baoinjector.sidecar.util.Daemons;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the token lifecycle's tasks one at a time. Tests substitute a manual one to see every delay
 * the lifecycle asks for without waiting for it.
 */
public interface Scheduler {
  /** Runs {@code task} after {@code delay}; tasks never overlap. */
  Cancellable schedule(Duration delay, Runnable task);

  /** Stops running tasks (pending ones are dropped). */
  void shutdown();

  /** A scheduled task that can be withdrawn. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  /** One daemon thread named {@code name}. */
  static Scheduler daemon(String name) {
    ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(Daemons.named(name));
    return new Scheduler() {
      @Override
      public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> f = ex.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
      }

      @Override
      public void shutdown() {
        ex.shutdownNow();
      }
    };
  }
}
