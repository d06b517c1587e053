package io.baoinjector.sidecar.cli;

import java.util.List;
import java.util.Objects;
import picocli.CommandLine;

/**
 * {@code exec --on-change}: what happens to the child when a mapped value changes.
 *
 * @param action what to do
 * @param signal for {@link Action#SIGNAL}: the signal name without {@code SIG}, e.g. {@code HUP};
 *     null otherwise
 */
public record OnChange(Action action, String signal) {
  public enum Action {
    /** Leave the child alone (the default): it keeps the values it started with. */
    NONE,
    /** Stop the child and start it again with the new values. */
    RESTART,
    /** Send the child a signal; it re-reads its config itself. */
    SIGNAL
  }

  /** Signals a child can reasonably be asked to reload or stop with. */
  static final List<String> SIGNALS = io.baoinjector.sidecar.output.exec.OnChangePolicy.SIGNALS;

  public static final OnChange NONE = new OnChange(Action.NONE, null);

  public OnChange {
    Objects.requireNonNull(action, "action == null");
    if ((action == Action.SIGNAL) != (signal != null)) {
      throw new IllegalArgumentException("signal goes with SIGNAL only");
    }
  }

  /** Parses {@code none}, {@code restart} or {@code signal:NAME}. */
  public static OnChange parse(String text) {
    switch (text) {
      case "none":
        return NONE;
      case "restart":
        return new OnChange(Action.RESTART, null);
      default:
        if (text.startsWith("signal:")) {
          String s = text.substring("signal:".length());
          if (s.startsWith("SIG")) {
            s = s.substring(3);
          }
          if (SIGNALS.contains(s)) {
            return new OnChange(Action.SIGNAL, s);
          }
          throw new IllegalArgumentException(
              "unknown signal '" + s + "'; use one of " + String.join(", ", SIGNALS));
        }
        throw new IllegalArgumentException(
            "expected restart, signal:HUP (or another signal) or none, got '" + text + "'");
    }
  }

  @Override
  public String toString() {
    return action == Action.SIGNAL ? "signal:" + signal : action.name().toLowerCase();
  }

  static final class Converter implements CommandLine.ITypeConverter<OnChange> {
    @Override
    public OnChange convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
