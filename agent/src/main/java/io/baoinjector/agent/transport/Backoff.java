package io.baoinjector.agent.transport;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential retry delays with jitter, for the refresh thread only. (The sidecar's {@code Backoff}
 * is Java 17; the agent is Java 8 class files and JDK-only.)
 */
final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private long next;

  Backoff(long minMillis, long maxMillis) {
    this.minMillis = minMillis;
    this.maxMillis = maxMillis;
    this.next = minMillis;
  }

  /** The next delay: the current step ±20%, then the step doubles up to the maximum. */
  long nextMillis() {
    long base = next;
    next = Math.min(maxMillis, next * 2);
    long jitter = base / 5;
    return base - jitter + ThreadLocalRandom.current().nextLong(2 * jitter + 1);
  }

  void reset() {
    next = minMillis;
  }
}
