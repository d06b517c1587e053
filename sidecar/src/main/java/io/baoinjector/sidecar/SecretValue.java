package io.baoinjector.sidecar;

import java.util.Objects;

/**
 * A secret string that never shows itself: {@code toString()} is {@code ***}, so a value that
 * reaches a log line, an exception or a record's {@code toString} by accident leaks nothing. Call
 * {@link #reveal()} only where the value is handed to its consumer.
 */
public final class SecretValue {
  private final String value;

  private SecretValue(String value) {
    this.value = value;
  }

  public static SecretValue of(String value) {
    return new SecretValue(Objects.requireNonNull(value, "value == null"));
  }

  /** The plain value, for the one place that hands it over (socket body, file, child env). */
  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretValue s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "***";
  }
}
