package io.baoinjector.agent.bootstrap;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The managed variables: an immutable map swapped whole behind a {@code volatile}, so a reader sees
 * one consistent snapshot without locking, and a lookup of a name the sidecar does not manage costs
 * one {@link HashMap#get} and allocates nothing.
 */
public final class ManagedEnv {
  private static volatile Map<String, String> values = Collections.emptyMap();

  private ManagedEnv() {}

  /** The current snapshot; callers must not modify it (it is unmodifiable anyway). */
  public static Map<String, String> current() {
    return values;
  }

  /** The managed value of {@code name}, or {@code null} when the name is not managed. */
  public static String get(Object name) {
    return values.get(name);
  }

  /** Publishes a new snapshot (a private copy of {@code next}); called by the transport thread. */
  public static void replace(Map<String, String> next) {
    values =
        next.isEmpty()
            ? Collections.<String, String>emptyMap()
            : Collections.unmodifiableMap(new HashMap<String, String>(next));
  }
}
