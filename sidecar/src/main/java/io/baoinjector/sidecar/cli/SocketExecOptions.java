package io.baoinjector.sidecar.cli;

import io.baoinjector.shared.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code exec}'s options for taking the values from a running sidecar instead of a config: a mixin,
 * so the exec command itself only asks which of the two it is.
 */
final class SocketExecOptions {
  @Option(
      names = "--socket",
      paramLabel = "PATH",
      description =
          "Take the values (and, with --on-change, their changes) from the running sidecar at"
              + " this socket instead of logging in: no -c, no OpenBao credentials of its own.")
  Path socket;

  @Option(
      names = "--only",
      paramLabel = "NAME",
      split = ",",
      description =
          "With --socket: give CMD only these values (repeatable or comma-separated; default:"
              + " every value the sidecar serves).")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = WaitConverter.class,
      description =
          "With --socket: how long to wait for a ready sidecar at startup, e.g. 500ms, 30s, 2m,"
              + " 0 (default: ${DEFAULT-VALUE}).")
  Duration wait;

  /** {@code 0} or a duration as the config writes them, at most a day. */
  static final class WaitConverter implements ITypeConverter<Duration> {
    private static final long MAX_MILLIS = Duration.ofDays(1).toMillis();

    @Override
    public Duration convert(String value) {
      String t = value.trim();
      long ms = t.equals("0") ? 0 : Durations.millis(t, MAX_MILLIS);
      if (ms == Durations.TOO_LARGE) {
        throw new TypeConversionException("\"" + t + "\" is too large; the most is 24h");
      }
      if (ms < 0) {
        throw new TypeConversionException(
            "\"" + t + "\" is not a duration (e.g. 500ms, 10s, 2m or 0)");
      }
      return Duration.ofMillis(ms);
    }
  }

  /**
   * The request when {@code --socket} was given, else null (the config-driven exec).
   *
   * @throws ParameterException one line: a socket-only option without {@code --socket}, {@code
   *     --socket} with {@code -c}, or an {@code --only} that is no variable name
   */
  SocketExecRequest request(CommandSpec spec, ExecRequest exec) {
    ParseResult parsed = spec.commandLine().getParseResult();
    if (socket == null) {
      for (String option : List.of("--only", "--wait")) {
        if (parsed.hasMatchedOption(option)) {
          throw new ParameterException(
              spec.commandLine(),
              option + " goes with --socket (with -c, the config's secrets: name the values)");
        }
      }
      return null;
    }
    if (parsed.hasMatchedOption("--config")) {
      throw new ParameterException(
          spec.commandLine(),
          "--socket and -c/--config exclude each other: with --socket the values come from the"
              + " running sidecar (drop -c), with -c exec logs in itself (drop --socket)");
    }
    ExecExtras.checkNames(spec, "--only", only);
    return new SocketExecRequest(socket, only, wait, exec);
  }
}
