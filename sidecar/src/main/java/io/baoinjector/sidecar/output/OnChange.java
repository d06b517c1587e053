package io.baoinjector.sidecar.output;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What an output does when a value it uses changed: nothing, restart or signal the {@code exec}
 * child ({@code exec --on-change}), or run a command after a file was rewritten ({@code
 * outputs.files[N].on-change}).
 *
 * @param action what to do
 * @param signal for {@link Action#SIGNAL}: the signal name without {@code SIG}, e.g. {@code HUP};
 *     null otherwise
 * @param command for {@link Action#COMMAND}: the argv to run; empty otherwise
 * @param timeout for {@link Action#COMMAND}: how long the command may run before it is killed
 */
public record OnChange(Action action, String signal, List<String> command, Duration timeout) {
  public enum Action {
    /** Leave the child alone (the default): it keeps the values it started with. */
    NONE,
    /** Stop the child and start it again with the new values. */
    RESTART,
    /** Send the child a signal; it re-reads its config itself. */
    SIGNAL,
    /** Run a command (a file's {@code on-change}). */
    COMMAND
  }

  /** Signals a child can reasonably be asked to reload or stop with. */
  public static final List<String> SIGNALS = List.of("HUP", "INT", "QUIT", "TERM", "USR1", "USR2");

  public static final OnChange NONE = new OnChange(Action.NONE, null);
  public static final OnChange RESTART = new OnChange(Action.RESTART, null);

  public OnChange {
    Objects.requireNonNull(action, "action == null");
    command = command == null ? List.of() : List.copyOf(command);
    if ((action == Action.SIGNAL) != (signal != null)) {
      throw new IllegalArgumentException("signal goes with SIGNAL only");
    }
    if ((action == Action.COMMAND) != !command.isEmpty()) {
      throw new IllegalArgumentException("command goes with COMMAND only");
    }
    if (action == Action.SIGNAL && !SIGNALS.contains(signal)) {
      throw new IllegalArgumentException(
          "unknown signal '" + signal + "'; use one of " + String.join(", ", SIGNALS));
    }
  }

  /** {@link Action#NONE}, {@link Action#RESTART} or {@link Action#SIGNAL}. */
  public OnChange(Action action, String signal) {
    this(action, signal, List.of(), null);
  }

  /** Send {@code name} (HUP, USR1, ...; an optional {@code SIG} prefix is dropped). */
  public static OnChange signal(String name) {
    String s = Objects.requireNonNull(name, "name == null");
    return new OnChange(Action.SIGNAL, s.startsWith("SIG") ? s.substring(3) : s);
  }

  /** Run {@code argv} after a change, killed after {@code timeout}; {@link #NONE} when empty. */
  public static OnChange command(List<String> argv, Duration timeout) {
    return argv == null || argv.isEmpty()
        ? NONE
        : new OnChange(Action.COMMAND, null, argv, Objects.requireNonNull(timeout, "timeout"));
  }

  /**
   * Parses {@code exec --on-change}: {@code none}, {@code restart} or {@code signal:NAME}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static OnChange parse(String text) {
    switch (text) {
      case "none":
        return NONE;
      case "restart":
        return RESTART;
      default:
        if (text.startsWith("signal:")) {
          return signal(text.substring("signal:".length()));
        }
        throw new IllegalArgumentException(
            "expected restart, signal:HUP (or another signal) or none, got '" + text + "'");
    }
  }

  @Override
  public String toString() {
    return switch (action) {
      case SIGNAL -> "signal:" + signal;
      case COMMAND -> "command " + command.get(0);
      default -> action.name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
