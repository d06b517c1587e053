package io.baoinjector.agent;

import java.util.HashMap;
import java.util.Map;

/**
 * Keeps the sidecar's {@code properties:} section in {@link System#getProperties()}.
 *
 * <p>A name that leaves the section gets back the value it had before the agent first set it (or is
 * cleared if it had none), so a property the sidecar stops managing doesn't keep a stale secret.
 */
final class SystemProperties {
  /** name -> the value before we managed it; {@code null} when it was unset. */
  private final Map<String, String> originals = new HashMap<String, String>();

  /** Sets {@code next}; returns whether any property it manages changed value or went away. */
  boolean apply(Map<String, String> next) {
    boolean changed = false;
    for (Map.Entry<String, String> e : next.entrySet()) {
      String name = e.getKey();
      if (!originals.containsKey(name)) {
        originals.put(name, System.getProperty(name));
      }
      changed |= !e.getValue().equals(System.setProperty(name, e.getValue()));
    }
    java.util.Iterator<Map.Entry<String, String>> it = originals.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, String> e = it.next();
      if (!next.containsKey(e.getKey())) {
        if (e.getValue() == null) {
          System.clearProperty(e.getKey());
        } else {
          System.setProperty(e.getKey(), e.getValue());
        }
        it.remove();
        changed = true;
      }
    }
    return changed;
  }
}
