package io.baoinjector.agent.bootstrap;

import java.util.Map;
import java.util.Properties;

/**
 * The only methods the inlined advice calls (see {@code agent.install}). They run inside {@code
 * System.getenv} and {@code ProcessBuilder.start} of every thread of the application, so they must
 * never throw, block, do I/O, or allocate for a name the sidecar does not manage.
 *
 * <p>Re-entry: the lookups only read {@link ManagedEnv}'s immutable map and cannot reach a hooked
 * method again. The process-start hook calls {@code ProcessBuilder.environment()}, which enters the
 * {@link #copyForChild} hook once; a per-thread flag keeps a second {@code start} on the same
 * thread (from inside that path) from recursing. Process starts allocate anyway, so the flag costs
 * nothing that matters.
 *
 * <p>The config hooks ({@code Properties} load/store, {@code PropertyResourceBundle}) are not on
 * any read path; see {@link Placeholders} for their locking. The Spring hooks run once per {@code
 * ContextRefresher} or {@code SpringApplication} constructed; see {@link SpringRefresh}.
 */
public final class Hooks {
  /**
   * Whether children of {@code ProcessBuilder} / {@code Runtime.exec} receive the managed values.
   */
  private static volatile boolean children = true;

  private static volatile OverlayEnv overlay;

  private static final ThreadLocal<boolean[]> STARTING =
      new ThreadLocal<boolean[]>() {
        @Override
        protected boolean[] initialValue() {
          return new boolean[1];
        }
      };

  private Hooks() {}

  public static void setChildren(boolean enabled) {
    children = enabled;
  }

  /**
   * {@code ProcessEnvironment.getenv(String)}: the managed value, or {@code null} to fall through.
   */
  public static String getenv(String name) {
    return ManagedEnv.get(name);
  }

  /** {@code ProcessEnvironment.getenv()}: the one overlay over the JDK's unmodifiable map. */
  public static Map<String, String> environment(Map<String, String> real) {
    OverlayEnv o = overlay;
    if (o == null) {
      // Benign race: two threads may build one each; the JDK's map is the same instance, and the
      // volatile write makes every later call see a single winner.
      o = new OverlayEnv(real);
      overlay = o;
    }
    return o;
  }

  /**
   * {@code ProcessEnvironment.environment()}: the JDK's own mutable copy for {@code
   * ProcessBuilder}; the managed values go into it (it must stay the JDK's class: {@code
   * toEnvironmentBlock} casts).
   */
  public static Map<String, String> copyForChild(Map<String, String> copy) {
    if (!children || copy == null) {
      return copy;
    }
    for (Map.Entry<String, String> e : ManagedEnv.current().entrySet()) {
      try {
        copy.put(e.getKey(), e.getValue());
      } catch (RuntimeException invalidForAnEnvironment) {
        // a name with '=' or a value with NUL can't be in an environment block: leave it out
      }
    }
    return copy;
  }

  /**
   * {@code ProcessBuilder.start}: when the application never called {@code environment()}, the JDK
   * would let the child inherit the native environment, which lacks the managed values; asking for
   * the copy now makes {@code start} pass it (with {@link #copyForChild} applied) instead.
   */
  public static void beforeStart(ProcessBuilder builder, Map<String, String> environmentField) {
    if (!children || environmentField != null || ManagedEnv.current().isEmpty()) {
      return;
    }
    boolean[] starting = STARTING.get();
    if (starting[0]) {
      return;
    }
    starting[0] = true;
    try {
      builder.environment();
    } catch (RuntimeException e) {
      // a SecurityManager may refuse getenv.*: then the child inherits, as without the agent
    } finally {
      starting[0] = false;
    }
  }

  /** End of {@code Properties.load(..)} and {@code loadFromXML}: see {@link Placeholders}. */
  public static void propertiesLoaded(Properties props) {
    try {
      Placeholders.loaded(props);
    } catch (RuntimeException e) {
      // a Properties subclass whose accessors throw: the application's load result stands as is
    }
  }

  /** End of a {@code PropertyResourceBundle} constructor, with its {@code lookup} table. */
  public static void bundleLoaded(Map<?, ?> lookup) {
    try {
      Placeholders.bundleLoaded(lookup);
    } catch (RuntimeException e) {
      // as above: the bundle keeps what it loaded
    }
  }

  /**
   * Start of {@code store}, {@code save}, {@code storeToXML} and {@code list}: the object the JDK
   * method goes on to write, which for one holding placeholders is a copy with the placeholders.
   */
  public static Properties forOutput(Properties self, Properties defaults) {
    // no catch-all here: a store that fails is better than one that writes the secret to disk
    return Placeholders.forOutput(self, defaults);
  }

  /** End of a Spring Cloud {@code ContextRefresher} constructor: see {@link SpringRefresh}. */
  public static void contextRefresher(Object refresher) {
    try {
      SpringRefresh.register(refresher);
    } catch (RuntimeException e) {
      // the context starts as without the agent; it only misses the refresh on rotation
    }
  }

  /** End of a Spring Boot {@code SpringApplication} constructor: see {@link SpringRefresh}. */
  public static void springApplication(Object application) {
    try {
      SpringRefresh.springApplication(application);
    } catch (RuntimeException e) {
      // a SecurityManager refusing getClassLoader: no hint, and the application starts as usual
    }
  }
}
