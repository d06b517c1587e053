package io.baoinjector.sidecar.output.exec;

import io.baoinjector.sidecar.util.Jitter;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * {@code exec --jitter} and {@code --mask}: how long a restart may wait, and from which length the
 * values given to the child are concealed in its output (empty: not at all).
 */
public record ExecOptions(Jitter jitter, OptionalInt maskMinLength) {
  public static final ExecOptions NONE = new ExecOptions(Jitter.NONE, OptionalInt.empty());

  public ExecOptions {
    Objects.requireNonNull(jitter, "jitter == null");
    Objects.requireNonNull(maskMinLength, "maskMinLength == null");
  }
}
