package io.baoinjector.sidecar.config;

import java.time.Duration;

/** Config durations: {@link io.baoinjector.shared.Durations}, positive and at most {@link #MAX}. */
final class Durations {
  /**
   * Ten years: far beyond any sensible interval or timeout, and far below what overflows {@link
   * Duration#toNanos()} (292 years), which the schedulers use.
   */
  static final Duration MAX = Duration.ofHours(87_600);

  private Durations() {}

  /**
   * @throws IllegalArgumentException with a one-line message quoting the text
   */
  static Duration parse(String text) {
    String t = text.trim();
    long ms = io.baoinjector.shared.Durations.millis(t, MAX.toMillis());
    if (ms == io.baoinjector.shared.Durations.INVALID) {
      throw new IllegalArgumentException("\"" + t + "\" is not a duration");
    }
    if (ms == io.baoinjector.shared.Durations.TOO_LARGE) {
      throw new IllegalArgumentException("\"" + t + "\" is too large; the most is " + format(MAX));
    }
    if (ms == 0) {
      throw new IllegalArgumentException("\"" + t + "\" is zero; it must be positive");
    }
    return Duration.ofMillis(ms);
  }

  /** The shortest text {@link #parse} reads back as {@code d}, for summaries. */
  static String format(Duration d) {
    return io.baoinjector.shared.Durations.format(d.toMillis());
  }
}
