package io.baoinjector.agent.bootstrap;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Config maps (a loaded {@link Properties}, the system properties, a {@code
 * PropertyResourceBundle}'s table) whose values held {@code ${bao:NAME}}: the values are written
 * into the map itself, and written again whenever a new snapshot is published. Reads ({@code
 * getProperty}, {@code get}, iteration, copies) are therefore the JDK's own, untouched and as cheap
 * as without the agent; only {@code load}, {@code store}/{@code list} and a snapshot swap do any
 * work here.
 *
 * <p>Locking: every write to a registered map happens while holding that map's monitor (the JDK's
 * {@code load} methods already hold it when their hook runs), and the registry's own lock is never
 * held while taking a map's monitor — so the order is always "map, then registry", and the
 * refresher can't deadlock with an application thread inside {@code load}. The registry is
 * identity-based and weak: a {@code Properties}' hash code is its content, which we change.
 */
public final class Placeholders {
  private static final Object REGISTRY_LOCK = new Object();

  /** Guarded by {@link #REGISTRY_LOCK}. */
  private static final List<Entry> REGISTRY = new ArrayList<Entry>();

  /** Whether {@link #REGISTRY} may be non-empty: the fast exit for {@code store}/{@code list}. */
  private static volatile boolean any;

  /** The registration of the last {@code load} on this thread, for the bundle that copies it. */
  private static final ThreadLocal<Registration> LAST_LOADED = new ThreadLocal<Registration>();

  private static final Set<String> WARNED = new HashSet<String>();

  private static final Template.Unknown WARN_ONCE =
      new Template.Unknown() {
        @Override
        public void name(String name) {
          synchronized (WARNED) {
            if (!WARNED.add(name)) {
              return;
            }
          }
          System.err.println(
              "bao-injector agent: config placeholder ${bao:"
                  + name
                  + "} names nothing the sidecar manages; left as is (map "
                  + name
                  + " in the sidecar, or write ${bao:"
                  + name
                  + ":-default})");
        }
      };

  private Placeholders() {}

  /** One registered map; the map itself is only weakly reachable from here. */
  private static final class Entry {
    final WeakReference<Map<Object, Object>> map;
    final Registration registration;

    Entry(Map<Object, Object> map, Registration registration) {
      this.map = new WeakReference<Map<Object, Object>>(map);
      this.registration = registration;
    }
  }

  /** What we manage in one map. Guarded by that map's monitor. */
  private static final class Registration {
    /** key -> the value as loaded, with its placeholders. */
    final Map<Object, String> templates = new HashMap<Object, String>();

    /** key -> what we last wrote there; a different value means the application replaced it. */
    final Map<Object, Object> written = new HashMap<Object, Object>();

    Registration copy() {
      Registration r = new Registration();
      r.templates.putAll(templates);
      r.written.putAll(written);
      return r;
    }
  }

  /** End of {@code Properties.load*}: registers {@code props} if a value holds a placeholder. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void loaded(Properties props) {
    Map<Object, Object> map = (Map) props;
    synchronized (map) {
      Registration r = find(map);
      List<Map.Entry<Object, Object>> found = null;
      for (Map.Entry<Object, Object> e : map.entrySet()) {
        if (Template.holdsPlaceholder(e.getValue())) {
          if (found == null) {
            found = new ArrayList<Map.Entry<Object, Object>>();
          }
          found.add(e);
        }
      }
      if (found != null) {
        if (r == null) {
          r = new Registration();
          register(map, r);
        }
        for (Map.Entry<Object, Object> e : found) {
          r.templates.put(e.getKey(), (String) e.getValue());
          r.written.put(e.getKey(), e.getValue());
        }
      }
      if (r != null) {
        apply(map, r);
      }
      if (r != null || LAST_LOADED.get() != null) {
        LAST_LOADED.set(r);
      }
    }
  }

  /**
   * End of a {@code PropertyResourceBundle} constructor: it loaded a {@code Properties} (resolved
   * by {@link #loaded}) and copied it into {@code lookup}; that copy gets the same templates.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void bundleLoaded(Map lookup) {
    Registration last = LAST_LOADED.get();
    if (last == null || lookup == null) {
      return;
    }
    LAST_LOADED.set(null);
    Map<Object, Object> map = lookup;
    synchronized (map) {
      if (find(map) != null) {
        return; // the InputStream constructor delegates to the Reader one: both end here
      }
      Registration r;
      synchronized (last) {
        r = last.copy();
      }
      register(map, r);
      apply(map, r);
    }
  }

  /**
   * Start of {@code store}/{@code list}/{@code storeToXML}: for a registered object, a copy holding
   * the templates (and the same defaults), which the JDK method then writes instead.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Properties forOutput(Properties self, Properties defaults) {
    if (!any) {
      return self;
    }
    Map<Object, Object> map = (Map) self;
    synchronized (map) {
      Registration r = find(map);
      if (r == null) {
        return self;
      }
      Properties copy = new Properties(defaults);
      for (Map.Entry<Object, Object> e : map.entrySet()) {
        Object key = e.getKey();
        Object value = e.getValue();
        String template = r.templates.get(key);
        copy.put(key, template != null && value.equals(r.written.get(key)) ? template : value);
      }
      return copy;
    }
  }

  /** After a snapshot swap: every registered map is rewritten to the new values. */
  static void refresh() {
    if (!any) {
      return;
    }
    List<Object[]> live = new ArrayList<Object[]>();
    synchronized (REGISTRY_LOCK) {
      for (Iterator<Entry> it = REGISTRY.iterator(); it.hasNext(); ) {
        Entry e = it.next();
        Map<Object, Object> map = e.map.get();
        if (map == null) {
          it.remove();
        } else {
          live.add(new Object[] {map, e.registration});
        }
      }
    }
    // outside the registry lock: see the class comment
    for (Object[] pair : live) {
      @SuppressWarnings("unchecked")
      Map<Object, Object> map = (Map<Object, Object>) pair[0];
      try {
        synchronized (map) {
          apply(map, (Registration) pair[1]);
        }
      } catch (RuntimeException e) {
        // a Properties subclass whose accessors throw: that object keeps its last values, and the
        // snapshot (already published) still reaches getenv and every other object
      }
    }
  }

  /**
   * Writes each template's current resolution into {@code map}; the caller holds its monitor. A key
   * whose value is no longer what we wrote (the application set or removed it) is let go.
   */
  private static void apply(Map<Object, Object> map, Registration r) {
    Map<String, String> managed = ManagedEnv.current();
    boolean arrived = ManagedEnv.arrived();
    synchronized (r) {
      for (Iterator<Map.Entry<Object, String>> it = r.templates.entrySet().iterator();
          it.hasNext(); ) {
        Map.Entry<Object, String> t = it.next();
        Object key = t.getKey();
        Object current = map.get(key);
        Object mine = r.written.get(key);
        if (current == null || !(current.equals(mine) || current.equals(t.getValue()))) {
          it.remove();
          r.written.remove(key);
          continue;
        }
        String next = Template.resolve(t.getValue(), managed, arrived, WARN_ONCE);
        if (next.equals(current) || map.replace(key, current, next)) {
          r.written.put(key, next);
        } else { // replaced concurrently by the application (JDK 9+ put takes no monitor)
          it.remove();
          r.written.remove(key);
        }
      }
    }
  }

  private static Registration find(Map<Object, Object> map) {
    synchronized (REGISTRY_LOCK) {
      for (Entry e : REGISTRY) {
        if (e.map.get() == map) {
          return e.registration;
        }
      }
      return null;
    }
  }

  private static void register(Map<Object, Object> map, Registration r) {
    synchronized (REGISTRY_LOCK) {
      for (Iterator<Entry> it = REGISTRY.iterator(); it.hasNext(); ) {
        if (it.next().map.get() == null) {
          it.remove();
        }
      }
      REGISTRY.add(new Entry(map, r));
      any = true;
    }
  }
}
