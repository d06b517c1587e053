package io.baoinjector.sidecar.cli;

import io.baoinjector.shared.Durations;
import io.baoinjector.shared.EnvNames;
import io.baoinjector.sidecar.output.OnChange;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** {@code exec}'s {@code --jitter}, {@code --mask} and {@code --mask-min-length} (a mixin). */
final class ExecExtras {
  @Option(
      names = "--jitter",
      paramLabel = "DURATION",
      converter = JitterConverter.class,
      description =
          "With --on-change restart: before each restart wait a random delay between 0 and"
              + " DURATION (e.g. 30s), so a fleet does not restart at once.")
  Duration jitter;

  @Option(
      names = "--mask",
      description =
          "Conceal every value CMD was given in its stdout and stderr (as mask: true in the"
              + " config). CMD then writes to pipes, not to the terminal.")
  boolean mask;

  @Option(
      names = "--mask-min-length",
      paramLabel = "N",
      description =
          "Values shorter than N characters are not concealed (default: mask.min-length, 6).")
  Integer maskMinLength;

  /** Usage errors: one line, exit 2. */
  void check(CommandSpec spec, OnChange onChange, List<String> passEnv) {
    checkNames(spec, "--pass-env", passEnv);
    if (jitter != null && onChange.action() != OnChange.Action.RESTART) {
      throw new ParameterException(spec.commandLine(), "--jitter: only with --on-change restart");
    }
    if (maskMinLength != null && maskMinLength < 1) {
      throw new ParameterException(spec.commandLine(), "--mask-min-length: must be at least 1");
    }
  }

  /** Each of {@code names} (given to {@code option}) must be an environment variable name. */
  static void checkNames(CommandSpec spec, String option, List<String> names) {
    for (String name : names) {
      if (!EnvNames.isValid(name)) {
        throw new ParameterException(
            spec.commandLine(), option + ": '" + name + "' is not an environment variable name");
      }
    }
  }

  ExecRequest request(List<String> command, List<String> passEnv, OnChange onChange) {
    return new ExecRequest(command, passEnv, onChange, jitter, mask, maskMinLength);
  }

  /** The config's duration grammar ({@code 30s}, {@code 1m30s}), above zero. */
  static final class JitterConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      long ms = Durations.millis(value.trim(), Duration.ofHours(87_600).toMillis());
      if (ms <= 0) {
        throw new TypeConversionException(
            "'" + value + "' is not a duration above zero, like 30s or 2m");
      }
      return Duration.ofMillis(ms);
    }
  }
}
