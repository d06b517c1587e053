package io.baoinjector.sidecar.output.socket;

import java.time.Duration;

/**
 * The long-poll {@code wait} parameter: {@code 30s}, {@code 500ms}, {@code 2m} or plain seconds.
 */
final class WaitParam {
  static final Duration DEFAULT = Duration.ofSeconds(30);

  private WaitParam() {}

  /** Parses {@code text} (null: the default), capped at {@code max}. */
  static Duration parse(String text, Duration max) {
    if (text == null || text.isEmpty()) {
      return min(DEFAULT, max);
    }
    String t = text.trim();
    long mult;
    String num;
    if (t.endsWith("ms")) {
      mult = 1;
      num = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      mult = 1000;
      num = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      mult = 60_000;
      num = t.substring(0, t.length() - 1);
    } else {
      mult = 1000;
      num = t;
    }
    long n;
    try {
      n = Long.parseLong(num);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "wait: expected a duration such as 30s, 500ms or 2m, got '" + text + "'");
    }
    if (n < 0) {
      throw new IllegalArgumentException("wait: must not be negative");
    }
    if (n > max.toMillis() / mult) {
      return max;
    }
    return min(Duration.ofMillis(n * mult), max);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
