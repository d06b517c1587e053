package io.baoinjector.sidecar.output.socket;

import io.baoinjector.shared.Durations;
import java.time.Duration;

/**
 * The long-poll {@code wait} parameter: a {@link Durations duration} ({@code 30s}, {@code 500ms},
 * {@code 2m}) or plain seconds.
 */
final class WaitParam {
  static final Duration DEFAULT = Duration.ofSeconds(30);

  private WaitParam() {}

  /** Parses {@code text} (null: the default), capped at {@code max}. */
  static Duration parse(String text, Duration max) {
    if (text == null || text.isEmpty()) {
      return min(DEFAULT, max);
    }
    String t = text.strip(); // whitespace only: trim() also dropped a NUL and other controls
    boolean negative = t.startsWith("-");
    String d = negative ? t.substring(1) : t;
    long ms = Durations.millis(isPlainNumber(d) ? d + "s" : d, max.toMillis());
    if (ms == Durations.INVALID) {
      throw new IllegalArgumentException(
          "wait: expected a duration such as 30s, 500ms or 2m, got '" + text + "'");
    }
    if (negative && ms != 0) {
      throw new IllegalArgumentException("wait: must not be negative");
    }
    return ms == Durations.TOO_LARGE ? max : Duration.ofMillis(ms);
  }

  private static boolean isPlainNumber(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return !s.isEmpty();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
