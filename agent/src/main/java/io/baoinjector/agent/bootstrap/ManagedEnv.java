package io.baoinjector.agent.bootstrap;

import java.util.HashMap;
import java.util.Map;

/**
 * The managed variables: an immutable map swapped whole behind a {@code volatile}, so a reader sees
 * one consistent snapshot without locking, and a lookup of a name the sidecar does not manage costs
 * one {@link HashMap#get} and allocates nothing.
 */
public final class ManagedEnv {
  // A plain HashMap, never modified after publication (the volatile write publishes it safely):
  // no unmodifiable wrapper, so a lookup is one call deep and shares no call site with the JDK's
  // own unmodifiable environment map.
  private static volatile HashMap<String, String> values = new HashMap<String, String>();

  /** Whether a snapshot from the sidecar has been published (false while on-unavailable=env). */
  private static volatile boolean arrived;

  private ManagedEnv() {}

  static boolean arrived() {
    return arrived;
  }

  /** The current snapshot; callers must not modify it. */
  public static Map<String, String> current() {
    return values;
  }

  /** The managed value of {@code name}, or {@code null} when the name is not managed. */
  public static String get(Object name) {
    return values.get(name);
  }

  /**
   * Publishes a new snapshot (a private copy of {@code next}) and rewrites the config placeholders
   * to it; called by the transport thread.
   */
  public static void replace(Map<String, String> next) {
    replace(next, false);
  }

  /**
   * As {@link #replace(Map)}; {@code propertiesChanged} says the system properties of this snapshot
   * (already set) differ from the last, which Spring's environment sees too.
   */
  public static void replace(Map<String, String> next, boolean propertiesChanged) {
    boolean changed = propertiesChanged || !values.equals(next);
    values = new HashMap<String, String>(next);
    arrived = true;
    Placeholders.refresh();
    if (changed) {
      // only a notify: the refresh itself runs on its own thread
      SpringRefresh.changed();
    }
  }
}
