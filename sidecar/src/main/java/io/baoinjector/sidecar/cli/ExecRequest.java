package io.baoinjector.sidecar.cli;

import io.baoinjector.sidecar.config.MaskSettings;
import io.baoinjector.sidecar.output.OnChange;
import io.baoinjector.sidecar.output.exec.ExecRunner;
import io.baoinjector.sidecar.util.Jitter;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * What {@code exec} was asked to do.
 *
 * @param command the child's argv, at least one element
 * @param passEnv names of the sidecar's own credentials ({@code BAO_TOKEN}, ...) to keep in the
 *     child's environment ({@code --pass-env}, repeatable); all others are removed
 * @param onChange what to do with the child when a value changes
 * @param jitter {@code --jitter}: the most a restart waits, a random delay; null for none
 * @param mask {@code --mask}: conceal the values in the child's output (also on with {@code mask:})
 * @param maskMinLength {@code --mask-min-length}; null: the config's {@code mask.min-length}
 */
public record ExecRequest(
    List<String> command,
    List<String> passEnv,
    OnChange onChange,
    Duration jitter,
    boolean mask,
    Integer maskMinLength) {

  public ExecRequest {
    command = List.copyOf(command);
    passEnv = List.copyOf(passEnv);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command is empty");
    }
  }

  /** The runner's options; {@code --mask} and {@code --mask-min-length} win over {@code config}. */
  ExecRunner.Options options(MaskSettings config) {
    int minLength = maskMinLength != null ? maskMinLength : config.minLength();
    return new ExecRunner.Options(
        Jitter.upTo(jitter),
        mask || config.enabled() ? OptionalInt.of(minLength) : OptionalInt.empty());
  }
}
