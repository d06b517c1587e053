package io.baoinjector.sidecar.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Go and the bao CLI write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code
 * 1h30m}.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  /**
   * Ten years: far beyond any sensible interval or timeout, and far below what overflows {@link
   * Duration#toNanos()} (292 years), which the schedulers use.
   */
  static final Duration MAX = Duration.ofHours(87_600);

  private Durations() {}

  /**
   * @throws IllegalArgumentException with a one-line message quoting the text
   */
  public static Duration parse(String text) {
    String t = text.trim();
    Matcher m = PART.matcher(t);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < t.length() && m.find(at) && m.start() == at) {
      long n;
      try {
        n = Long.parseLong(m.group(1));
        total =
            total.plus(
                switch (m.group(2)) {
                  case "ms" -> Duration.ofMillis(n);
                  case "s" -> Duration.ofSeconds(n);
                  case "m" -> Duration.ofMinutes(n);
                  default -> Duration.ofHours(n);
                });
      } catch (NumberFormatException | ArithmeticException e) {
        throw tooLarge(t);
      }
      if (total.compareTo(MAX) > 0) {
        throw tooLarge(t);
      }
      at = m.end();
    }
    if (t.isEmpty() || at != t.length()) {
      throw new IllegalArgumentException("\"" + t + "\" is not a duration");
    }
    if (total.isZero()) {
      throw new IllegalArgumentException("\"" + t + "\" is zero; it must be positive");
    }
    return total;
  }

  private static IllegalArgumentException tooLarge(String t) {
    return new IllegalArgumentException("\"" + t + "\" is too large; the most is " + format(MAX));
  }

  /** The shortest text {@link #parse} reads back as {@code d}, for summaries. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
