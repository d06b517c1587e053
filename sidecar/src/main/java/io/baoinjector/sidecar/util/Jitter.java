package io.baoinjector.sidecar.util;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * A random delay, uniform in [0, max], before acting on a change ({@code exec --jitter}, a file's
 * {@code on-change-jitter}): a fleet that sees one rotation at once then restarts spread over the
 * window instead of all together.
 */
public final class Jitter {
  /** Waits out a drawn delay; false when the waiter was stopped meanwhile (tests replace it). */
  public interface Delay {
    boolean await(Duration d) throws InterruptedException;
  }

  /** No delay. */
  public static final Jitter NONE = new Jitter(Duration.ZERO);

  private final Duration max;
  private final LongUnaryOperator draw;

  public Jitter(Duration max) {
    this(max, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
  }

  /** For tests: {@code draw.applyAsLong(n)} returns a millisecond count in [0, n]. */
  public Jitter(Duration max, LongUnaryOperator draw) {
    this.max = Objects.requireNonNull(max, "max == null");
    this.draw = Objects.requireNonNull(draw, "draw == null");
    if (max.isNegative()) {
      throw new IllegalArgumentException("jitter must not be negative: " + max);
    }
  }

  public static Jitter upTo(Duration max) {
    return max == null || max.isZero() ? NONE : new Jitter(max);
  }

  public boolean isNone() {
    return max.isZero();
  }

  public Duration max() {
    return max;
  }

  /** The next delay, in [0, max] (a draw out of range is clamped). */
  public Duration next() {
    long bound = max.toMillis();
    if (bound <= 0) {
      return Duration.ZERO;
    }
    long ms = draw.applyAsLong(bound);
    return Duration.ofMillis(Math.max(0, Math.min(bound, ms)));
  }
}
