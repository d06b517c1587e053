package io.baoinjector.sidecar.output.exec;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@code exec --on-change} does to the child when a mapped value changed: nothing (the
 * default), restart it with the new values, or send it a signal so it reloads by itself.
 */
public final class OnChangePolicy {
  /** Signals a child can reasonably be asked to reload (or stop) with. */
  public static final List<String> SIGNALS = List.of("HUP", "INT", "QUIT", "TERM", "USR1", "USR2");

  /** Leave the child alone (the default). */
  public static final OnChangePolicy NONE = new OnChangePolicy(false, null);

  /** SIGTERM, wait, SIGKILL after the timeout, start it again with the new values. */
  public static final OnChangePolicy RESTART = new OnChangePolicy(true, null);

  /** Send SIGHUP (for children that re-read files rendered by the sidecar). */
  public static final OnChangePolicy SIGNAL_HUP = new OnChangePolicy(false, "HUP");

  private final boolean restart;
  private final String signal;

  private OnChangePolicy(boolean restart, String signal) {
    this.restart = restart;
    this.signal = signal;
  }

  /** Send {@code name} (HUP, USR1, ... without {@code SIG}) on a change. */
  public static OnChangePolicy signal(String name) {
    String n = Objects.requireNonNull(name, "name == null").toUpperCase(Locale.ROOT);
    n = n.startsWith("SIG") ? n.substring(3) : n;
    if (!SIGNALS.contains(n)) {
      throw new IllegalArgumentException(
          "--on-change: signal '" + name + "' is not one of " + String.join(", ", SIGNALS));
    }
    return n.equals("HUP") ? SIGNAL_HUP : new OnChangePolicy(false, n);
  }

  /**
   * Parses {@code none}, {@code restart} or {@code signal:NAME}.
   *
   * @throws IllegalArgumentException naming the option and the accepted values
   */
  public static OnChangePolicy parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.equalsIgnoreCase("none")) {
      return NONE;
    }
    if (t.equalsIgnoreCase("restart")) {
      return RESTART;
    }
    if (t.toLowerCase(Locale.ROOT).startsWith("signal:")) {
      return signal(t.substring("signal:".length()));
    }
    throw new IllegalArgumentException(
        "--on-change: '" + text + "' is not one of restart, signal:HUP, none");
  }

  boolean isNone() {
    return !restart && signal == null;
  }

  /** The signal to send on a change, or null (restart or none). */
  String signalName() {
    return signal;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OnChangePolicy p
        && p.restart == restart
        && Objects.equals(p.signal, signal);
  }

  @Override
  public int hashCode() {
    return Objects.hash(restart, signal);
  }

  @Override
  public String toString() {
    return restart ? "restart" : signal != null ? "signal:" + signal : "none";
  }
}
