package io.baoinjector.agent.bootstrap;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * One HikariCP pool (4.x to 7.x) whose user name or password equals a managed value, reached only
 * by reflection on the worker thread of {@link Pools}. The pool reads its credentials per new
 * connection from its own config — the {@code HikariDataSource}, which copied the application's
 * {@code HikariConfig}, so the binding is taken at the end of the {@code HikariPool} constructor,
 * from {@code pool.config}: 4.x/5.x {@code getUsername()}/{@code getPassword()}, 6.0+ {@code
 * getCredentials()}, written atomically with {@code setCredentials}.
 *
 * <p>The second place: with a {@code jdbcUrl}, the pool's {@code DriverDataSource} keeps its own
 * copy of the startup values in {@code driverProperties} ("user", "password": from the data-source
 * properties, else from the config), which is all a connection uses when the user name is null, and
 * what supplies the password when only the data-source properties hold one. Those entries are
 * rewritten too. A pool with a 7.0 {@code HikariCredentialsProvider} is left to it.
 *
 * <p>Only what the pool holds is held here weakly; a closed or collected pool is dropped.
 */
final class HikariBinding {
  private static final String DRIVER_DS = "com.zaxxer.hikari.util.DriverDataSource";

  final String name;
  private final WeakReference<Object> pool;
  private final WeakReference<Object> config;
  private final WeakReference<Properties> driverProperties;

  /** value the pool uses now -> the managed names ("env:X", "prop:y") it was matched to. */
  private final Map<String, Set<String>> bound = new HashMap<String, Set<String>>();

  private long applied;

  private HikariBinding(String name, Object pool, Object config, Properties driverProperties) {
    this.name = name;
    this.pool = new WeakReference<Object>(pool);
    this.config = new WeakReference<Object>(config);
    this.driverProperties = new WeakReference<Properties>(driverProperties);
  }

  /** The binding for a newly built pool, or {@code null} when none of its values is managed. */
  static HikariBinding bind(Object pool, Object config, Pools.Snapshot then, Pools.Snapshot before)
      throws Exception {
    String name = String.valueOf(call(config, "getPoolName"));
    if (has(config, "getCredentialsProvider") && call(config, "getCredentialsProvider") != null) {
      return null; // the application's provider owns the credentials
    }
    HikariBinding b = new HikariBinding(name, pool, config, driverProperties(pool));
    List<String> values = b.values();
    // the snapshot the application read its values from is usually `then`; a rotation published
    // while the pool was being built makes it `before`, and the new values are pushed at once
    Pools.Snapshot matched = then;
    if (!b.match(values, then) && before != null && b.match(values, before)) {
      matched = before;
    }
    if (b.bound.isEmpty()) {
      return null;
    }
    b.applied = matched.seq;
    return b;
  }

  /**
   * Pushes {@code now} into the pool if it is newer than what it has; false when the pool is gone.
   */
  boolean follow(Pools.Snapshot now, int mode) throws Exception {
    Object cfg = config.get();
    if (cfg == null || pool.get() == null || Boolean.TRUE.equals(callIfAny(cfg, "isClosed"))) {
      return false;
    }
    if (applied >= now.seq) {
      return true;
    }
    applied = now.seq;
    Map<String, String> changes = new HashMap<String, String>();
    Set<String> names = new LinkedHashSet<String>();
    for (Map.Entry<String, Set<String>> e :
        new ArrayList<Map.Entry<String, Set<String>>>(bound.entrySet())) {
      String next = agreed(e.getValue(), now);
      if (next != null && !next.equals(e.getKey())) {
        changes.put(e.getKey(), next);
        names.addAll(e.getValue());
      }
    }
    if (changes.isEmpty()) {
      return true;
    }
    boolean userChanged = apply(cfg, changes);
    for (Map.Entry<String, String> c : changes.entrySet()) {
      bound.put(c.getValue(), bound.remove(c.getKey()));
    }
    Object p = pool.get();
    if (p != null && (userChanged || mode == Pools.EVICT_IDLE)) {
      Class<?> mx =
          Class.forName("com.zaxxer.hikari.HikariPoolMXBean", false, p.getClass().getClassLoader());
      mx.getMethod("softEvictConnections").invoke(p);
    }
    Pools.line(
        "applied revision "
            + now.revision
            + " to "
            + name
            + " ("
            + join(names)
            + ")"
            + (userChanged
                ? "; user name changed, connections soft-evicted"
                : mode == Pools.EVICT_IDLE ? "; connections soft-evicted" : ""));
    return true;
  }

  /** Writes the new values everywhere the pool keeps them; whether a user name changed. */
  private boolean apply(Object cfg, Map<String, String> changes) throws Exception {
    String user = (String) call(cfg, "getUsername");
    String password = (String) call(cfg, "getPassword");
    String nextUser = replaced(user, changes);
    String nextPassword = replaced(password, changes);
    boolean userChanged = user != null && !user.equals(nextUser);
    if (userChanged || (password != null && !password.equals(nextPassword))) {
      Method setCredentials = method(cfg, "setCredentials");
      if (setCredentials != null) { // 6.0+: both in one write, as the pool reads them
        Method of =
            setCredentials.getParameterTypes()[0].getMethod("of", String.class, String.class);
        setCredentials.invoke(cfg, of.invoke(null, nextUser, nextPassword));
      } else { // 4.x/5.x: two fields; a connection opened between the writes fails and is retried
        call(cfg, "setUsername", nextUser);
        call(cfg, "setPassword", nextPassword);
      }
    }
    userChanged |= rewrite((Properties) call(cfg, "getDataSourceProperties"), changes);
    userChanged |= rewrite(driverProperties.get(), changes);
    return userChanged;
  }

  private static boolean rewrite(Properties props, Map<String, String> changes) {
    if (props == null) {
      return false;
    }
    boolean userChanged = false;
    for (String key : new String[] {"user", "username", "password"}) {
      Object current = props.get(key);
      String next = current instanceof String ? changes.get(current) : null;
      if (next != null) {
        props.put(key, next);
        userChanged |= !key.equals("password");
      }
    }
    return userChanged;
  }

  private List<String> values() throws Exception {
    Object cfg = config.get();
    List<String> values = new ArrayList<String>();
    values.add((String) call(cfg, "getUsername"));
    values.add((String) call(cfg, "getPassword"));
    for (Properties props :
        new Properties[] {
          (Properties) call(cfg, "getDataSourceProperties"), driverProperties.get()
        }) {
      if (props != null) {
        for (String key : new String[] {"user", "username", "password"}) {
          Object v = props.get(key);
          values.add(v instanceof String ? (String) v : null);
        }
      }
    }
    return values;
  }

  private boolean match(List<String> values, Pools.Snapshot s) {
    bound.clear();
    for (String v : values) {
      if (v == null || v.isEmpty() || bound.containsKey(v)) {
        continue;
      }
      Set<String> names = new LinkedHashSet<String>();
      collect(v, s.env, "env:", names);
      collect(v, s.properties, "prop:", names);
      if (!names.isEmpty()) {
        bound.put(v, names);
      }
    }
    return !bound.isEmpty();
  }

  private static void collect(String v, Map<String, String> m, String kind, Set<String> into) {
    for (Map.Entry<String, String> e : m.entrySet()) {
      if (v.equals(e.getValue())) {
        into.add(kind + e.getKey());
      }
    }
  }

  /**
   * The one new value all still-managed names agree on; null when they disagree (which one the
   * application meant can't be told) or all were removed (the pool keeps what it has).
   */
  private String agreed(Set<String> sources, Pools.Snapshot now) {
    String agreed = null;
    for (String source : sources) {
      Map<String, String> m = source.startsWith("env:") ? now.env : now.properties;
      String v = m.get(source.substring(source.indexOf(':') + 1));
      if (v == null) {
        continue;
      }
      if (agreed != null && !agreed.equals(v)) {
        Pools.line(
            name + " uses one value that is now several (" + join(sources) + "); left as is");
        return null;
      }
      agreed = v;
    }
    return agreed;
  }

  private static String replaced(String v, Map<String, String> changes) {
    String next = v == null ? null : changes.get(v);
    return next == null ? v : next;
  }

  private static Properties driverProperties(Object pool) throws Exception {
    Method unwrapped = findMethod(pool.getClass(), "getUnwrappedDataSource");
    if (unwrapped == null) {
      return null;
    }
    unwrapped.setAccessible(true); // declared by the package-private PoolBase
    Object ds = unwrapped.invoke(pool);
    if (ds == null || !ds.getClass().getName().equals(DRIVER_DS)) {
      return null; // a DataSource of the application's: it gets getConnection(user, password)
    }
    Field f = ds.getClass().getDeclaredField("driverProperties");
    f.setAccessible(true);
    return (Properties) f.get(ds);
  }

  private static String join(Set<String> names) {
    StringBuilder sb = new StringBuilder();
    for (String n : names) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(n.substring(n.indexOf(':') + 1));
    }
    return sb.toString();
  }

  private static Method findMethod(Class<?> c, String name) {
    for (; c != null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(name) && m.getParameterTypes().length == 0) {
          return m;
        }
      }
    }
    return null;
  }

  private static boolean has(Object target, String name) {
    return method(target, name) != null;
  }

  private static Method method(Object target, String name) {
    for (Method m : target.getClass().getMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    return null;
  }

  private static Object callIfAny(Object target, String name) throws Exception {
    Method m = method(target, name);
    return m == null ? null : m.invoke(target);
  }

  private static Object call(Object target, String name, Object... args) throws Exception {
    for (Method m : target.getClass().getMethods()) {
      if (m.getName().equals(name) && m.getParameterTypes().length == args.length) {
        return m.invoke(target, args);
      }
    }
    throw new NoSuchMethodException(name);
  }
}
