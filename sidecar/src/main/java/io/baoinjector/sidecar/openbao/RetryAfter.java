package io.baoinjector.sidecar.openbao;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parses {@code Retry-After}: delta seconds or an HTTP date (RFC 9110 section 10.2.3). */
final class RetryAfter {
  private RetryAfter() {}

  /** The delay the header asks for, capped at {@code cap}; null when absent or unparseable. */
  static Duration parse(String header, Clock clock, Duration cap) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.trim();
    Duration d;
    try {
      d = Duration.ofSeconds(Math.max(0, Long.parseLong(h)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
        d = Duration.between(clock.instant(), at.toInstant());
        if (d.isNegative()) {
          d = Duration.ZERO;
        }
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
    return d.compareTo(cap) > 0 ? cap : d;
  }
}
