package io.baoinjector.shared;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The one retry schedule of the sidecar and the agent: exponential from {@code min} to {@code max},
 * doubled per failure, with "equal jitter" (each delay is uniformly in [d/2, d]) so a fleet does
 * not retry in step. {@link #reset()} after a success. Not thread-safe: one per loop.
 *
 * <p>Never returns zero: a failing loop always waits (OpenBao agent's renewal loop, openbao#3747,
 * spins without this). No lambdas here: the agent builds one while the application starts, when
 * their bootstrap costs time to {@code main}.
 */
public final class Backoff {
  private final Duration min;
  private final Duration max;
  private final DoubleSupplier random;
  private int failures;

  public Backoff(Duration min, Duration max) {
    this(min, max, null);
  }

  /** {@code random} returns values in [0, 1) (for tests); null: {@link ThreadLocalRandom}. */
  public Backoff(Duration min, Duration max, DoubleSupplier random) {
    this.min = Objects.requireNonNull(min, "min == null");
    this.max = Objects.requireNonNull(max, "max == null");
    this.random = random;
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("need 0 < min <= max, got " + min + ", " + max);
    }
  }

  /** The standard schedule for OpenBao calls: 1s to 5m. */
  public static Backoff standard() {
    return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
  }

  /** Records a failure and returns how long to wait before the next attempt. */
  public Duration next() {
    long minMs = min.toMillis();
    long maxMs = max.toMillis();
    int shift = Math.min(failures, 40);
    long ceiling = minMs << shift;
    if (ceiling <= 0 || ceiling > maxMs || (ceiling >> shift) != minMs) {
      ceiling = maxMs;
    }
    failures++;
    long half = ceiling / 2;
    double r = random == null ? ThreadLocalRandom.current().nextDouble() : random.getAsDouble();
    long delay = half + (long) (r * (ceiling - half + 1));
    return Duration.ofMillis(Math.max(1, Math.min(delay, maxMs)));
  }

  /** Like {@link #next()}, but never shorter than {@code floor} (e.g. a server's Retry-After). */
  public Duration next(Duration floor) {
    Duration d = next();
    return floor != null && floor.compareTo(d) > 0 ? floor : d;
  }

  public void reset() {
    failures = 0;
  }

  public int failures() {
    return failures;
  }
}
