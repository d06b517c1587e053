package io.baoinjector.sidecar.output.socket;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keeps a hostile peer from flooding the log: per key (uid and endpoint), the first line is
 * written, then at most one per {@code every}, carrying how many were left out since the last one
 * written. The key count is bounded, so a peer cannot grow the table either: past the bound it
 * starts over, which at worst writes a few more lines.
 */
final class AuditThrottle {
  static final Duration DEFAULT_EVERY = Duration.ofSeconds(10);
  private static final int MAX_KEYS = 4096;

  private final long everyNanos;
  private final LongSupplier nanoTime;
  private final Map<String, long[]> seen = new HashMap<>();

  AuditThrottle(Duration every, LongSupplier nanoTime) {
    this.everyNanos = every.toNanos();
    this.nanoTime = nanoTime;
  }

  AuditThrottle() {
    this(DEFAULT_EVERY, System::nanoTime);
  }

  /**
   * Whether to write a line for {@code key} now: -1 to leave it out, else how many lines for this
   * key were left out before it (0 the first time).
   */
  synchronized long admit(String key) {
    long now = nanoTime.getAsLong();
    long[] s = seen.get(key); // [0] = when last written, [1] = left out since
    if (s == null) {
      if (seen.size() >= MAX_KEYS) {
        seen.clear();
      }
      seen.put(key, new long[] {now, 0});
      return 0;
    }
    if (now - s[0] < everyNanos) {
      s[1]++;
      return -1;
    }
    long suppressed = s[1];
    s[0] = now;
    s[1] = 0;
    return suppressed;
  }
}
