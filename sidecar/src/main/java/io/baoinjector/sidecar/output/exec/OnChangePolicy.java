package io.baoinjector.sidecar.output.exec;

import java.util.Locale;

/** What {@code exec --on-change} does to the child when a mapped value changed. */
public enum OnChangePolicy {
  /** Leave the child alone (the default). */
  NONE,
  /** SIGTERM, wait, SIGKILL after the timeout, start it again with the new values. */
  RESTART,
  /** Send SIGHUP (for children that re-read files rendered by the sidecar). */
  SIGNAL_HUP;

  /**
   * Parses {@code none}, {@code restart} or {@code signal:HUP}.
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
    if (t.toUpperCase(Locale.ROOT).equals("SIGNAL:HUP") || t.equalsIgnoreCase("signal:SIGHUP")) {
      return SIGNAL_HUP;
    }
    throw new IllegalArgumentException(
        "--on-change: '" + text + "' is not one of restart, signal:HUP, none");
  }
}
