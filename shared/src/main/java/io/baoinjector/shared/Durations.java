package io.baoinjector.shared;

/**
 * The one duration grammar of the sidecar's config, its {@code wait} parameter and the agent's
 * {@code wait=} option: one or more {@code <digits><unit>} parts, units {@code ms}, {@code s},
 * {@code m}, {@code h}, as Go and the bao CLI write them ({@code 500ms}, {@code 30s}, {@code
 * 1h30m}). Callers add their own forms (a bare number) and their own messages. In milliseconds, no
 * {@code java.time}, no regex: the agent parses its options before the application's {@code main}.
 */
public final class Durations {
  /** {@link #millis} of text that is not a duration. */
  public static final long INVALID = -1;

  /** {@link #millis} of a well-formed duration longer than the cap. */
  public static final long TOO_LARGE = -2;

  private Durations() {}

  /**
   * The total of {@code text} in milliseconds, or {@link #INVALID}, or {@link #TOO_LARGE} when it
   * is well-formed but over {@code maxMillis} (however many digits it has).
   */
  public static long millis(String text, long maxMillis) {
    long total = 0;
    boolean tooLarge = false;
    int at = 0;
    int n = text.length();
    while (at < n) {
      int digits = at;
      while (at < n && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
        at++;
      }
      if (at == digits || at == n) {
        return INVALID;
      }
      long unit;
      if (text.startsWith("ms", at)) {
        unit = 1;
        at += 2;
      } else if (text.charAt(at) == 's') {
        unit = 1000;
        at++;
      } else if (text.charAt(at) == 'm') {
        unit = 60_000;
        at++;
      } else if (text.charAt(at) == 'h') {
        unit = 3_600_000;
        at++;
      } else {
        return INVALID;
      }
      if (!tooLarge) {
        long part = value(text, digits, at - (unit == 1 ? 2 : 1), maxMillis / unit);
        tooLarge = part < 0 || part * unit > maxMillis - total;
        total += tooLarge ? 0 : part * unit;
      }
    }
    if (n == 0) {
      return INVALID;
    }
    return tooLarge ? TOO_LARGE : total;
  }

  /** The digits in [from, to) as a number, or -1 when it is over {@code max}. */
  private static long value(String text, int from, int to, long max) {
    long v = 0;
    for (int i = from; i < to; i++) {
      v = v * 10 + (text.charAt(i) - '0');
      if (v > max) {
        return -1;
      }
    }
    return v;
  }

  /** The shortest text {@link #millis} reads back as {@code ms}, for summaries. */
  public static String format(long ms) {
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
