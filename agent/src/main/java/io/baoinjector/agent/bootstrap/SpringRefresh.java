package io.baoinjector.agent.bootstrap;

import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code spring-refresh}: Spring Cloud's {@code ContextRefresher} instances, held weakly, and the
 * one thread that calls their {@code refresh()} after a snapshot whose values changed. {@code
 * refresh()} re-reads the environment (where {@code System.getenv} and the system properties are
 * already live), publishes {@code EnvironmentChangeEvent} — which rebinds every
 * {@code @ConfigurationProperties} bean — and rebuilds the {@code @RefreshScope} beans.
 *
 * <p>The transport thread only bumps a counter and notifies ({@link #changed}); the refresh, which
 * runs application code, takes its time and may fail, runs on the daemon thread {@value
 * #THREAD_NAME}, started by the first registration: an application without Spring Cloud never has
 * it. Bursts coalesce: revisions that arrive while a refresh runs are covered by one more refresh,
 * so {@code refresh()} runs at most once per revision. Reflection only: this class is on the boot
 * class path and can't link against Spring.
 */
public final class SpringRefresh {
  static final String THREAD_NAME = "bao-injector-spring-refresh";
  static final String CLOUD_CLASS = "org/springframework/cloud/context/refresh/ContextRefresher";

  /** How long a refresher whose context is still starting waits before it is asked again. */
  private static final long STARTING_RECHECK_MILLIS = 500;

  private static final Object LOCK = new Object();

  /** Guarded by {@link #LOCK}. */
  private static final List<Entry> REFRESHERS = new ArrayList<Entry>();

  /** Guarded by {@link #LOCK}: how many snapshots with changed values were published so far. */
  private static long published;

  /** Guarded by {@link #LOCK}. */
  private static Thread worker;

  private static volatile boolean hintGiven;

  private SpringRefresh() {}

  /** One refresher, weakly, and the last count of {@link #published} it was refreshed for. */
  private static final class Entry {
    final WeakReference<Object> refresher;

    /** Guarded by {@link #LOCK}. */
    long done;

    Entry(Object refresher, long done) {
      this.refresher = new WeakReference<Object>(refresher);
      this.done = done;
    }
  }

  /** End of a {@code ContextRefresher} constructor (on the application's startup thread). */
  public static void register(Object refresher) {
    synchronized (LOCK) {
      for (Entry e : REFRESHERS) {
        if (e.refresher.get() == refresher) {
          return; // the constructor delegated to another one, which registered it already
        }
      }
      // values published before the context existed are the ones it starts with
      REFRESHERS.add(new Entry(refresher, published));
      if (worker == null) {
        worker =
            new Thread(
                new Runnable() {
                  @Override
                  public void run() {
                    work();
                  }
                },
                THREAD_NAME);
        worker.setDaemon(true);
        worker.start();
      }
    }
  }

  /** After a snapshot swap whose values differ from the last: never blocks, never throws. */
  static void changed() {
    synchronized (LOCK) {
      published++;
      LOCK.notifyAll();
    }
  }

  /** How many snapshots with changed values were published so far (for tests). */
  static long published() {
    synchronized (LOCK) {
      return published;
    }
  }

  /**
   * End of a {@code SpringApplication} constructor: a Spring Boot application is starting. Without
   * spring-cloud-context next to it, nothing rebinds its {@code @ConfigurationProperties} after a
   * rotation — say so once, with names only.
   */
  public static void springApplication(Object application) {
    if (hintGiven) {
      return;
    }
    ClassLoader loader = application.getClass().getClassLoader();
    if (loader == null || loader.getResource(CLOUD_CLASS + ".class") != null) {
      return;
    }
    hintGiven = true;
    System.err.println(
        "bao-injector agent: Spring Boot without spring-cloud-context: after a rotation,"
            + " System.getenv and ${NAME} placeholders read the new value, but"
            + " @ConfigurationProperties and @Value beans keep their startup values (add"
            + " org.springframework.cloud:spring-cloud-context for a refresh on every rotation)");
  }

  private static void work() {
    while (true) {
      List<Entry> due = new ArrayList<Entry>();
      List<Object> live = new ArrayList<Object>();
      long target;
      synchronized (LOCK) {
        target = published;
        for (Iterator<Entry> it = REFRESHERS.iterator(); it.hasNext(); ) {
          Entry e = it.next();
          Object r = e.refresher.get();
          if (r == null) {
            it.remove();
          } else if (e.done < target) {
            due.add(e);
            live.add(r);
          }
        }
        if (due.isEmpty()) {
          try {
            LOCK.wait();
          } catch (InterruptedException e) {
            return;
          }
          continue;
        }
      }
      boolean starting = false;
      for (int i = 0; i < due.size(); i++) {
        if (refresh(live.get(i)) == State.STARTING) {
          starting = true;
        } else {
          synchronized (LOCK) {
            // every revision up to target is covered by this one refresh
            due.get(i).done = target;
          }
        }
      }
      live.clear(); // no strong reference to a refresher while waiting
      if (starting) {
        synchronized (LOCK) {
          try {
            // a context still starting: ask again shortly, or at the next revision
            LOCK.wait(STARTING_RECHECK_MILLIS);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }
  }

  private enum State {
    DONE,
    STARTING
  }

  /** One refresher: refreshed, or skipped while its context starts, or dropped once it's closed. */
  private static State refresh(Object refresher) {
    Thread self = Thread.currentThread();
    ClassLoader before = self.getContextClassLoader();
    try {
      Object context = context(refresher);
      if (context != null) {
        ClassLoader loader = refresher.getClass().getClassLoader();
        Class<?> configurable =
            Class.forName(
                "org.springframework.context.ConfigurableApplicationContext", false, loader);
        if (!(Boolean) configurable.getMethod("isActive").invoke(context)) {
          forget(refresher); // closed: it will never refresh again
          return State.DONE;
        }
        if (!(Boolean) configurable.getMethod("isRunning").invoke(context)) {
          return State.STARTING;
        }
        freshSystemEnvironment(configurable.getMethod("getEnvironment").invoke(context));
      }
      self.setContextClassLoader(refresher.getClass().getClassLoader());
      Method refresh = refresher.getClass().getMethod("refresh");
      refresh.invoke(refresher);
    } catch (InvocationTargetException e) {
      failed(e.getCause());
    } catch (Throwable t) {
      failed(t);
    } finally {
      self.setContextClassLoader(before);
    }
    return State.DONE;
  }

  /**
   * Spring Boot 3.5's binder treats a {@code systemEnvironment} source whose map is {@code
   * System.getenv()} as immutable and binds relaxed names ({@code APP_GREETING} for {@code
   * app.greeting}) from a copy it took once. The agent's map is that same live instance, so the
   * copy would outlast every rotation; an equal source under a new identity gets a new copy, taken
   * now. Best effort: on another Boot the source is left as it is.
   */
  private static void freshSystemEnvironment(Object environment) {
    try {
      Object sources = environment.getClass().getMethod("getPropertySources").invoke(environment);
      Method get = sources.getClass().getMethod("get", String.class);
      Object old = get.invoke(sources, "systemEnvironment");
      if (old == null) {
        return;
      }
      Class<?> type = old.getClass();
      Object map = type.getMethod("getSource").invoke(old);
      Object fresh;
      try {
        Object prefix = type.getMethod("getPrefix").invoke(old);
        java.lang.reflect.Constructor<?> c =
            type.getDeclaredConstructor(String.class, Map.class, String.class);
        c.setAccessible(true);
        fresh = c.newInstance("systemEnvironment", map, prefix);
      } catch (NoSuchMethodException e) {
        java.lang.reflect.Constructor<?> c = type.getDeclaredConstructor(String.class, Map.class);
        c.setAccessible(true);
        fresh = c.newInstance("systemEnvironment", map);
      }
      Class<?> propertySource =
          Class.forName(
              "org.springframework.core.env.PropertySource", false, type.getClassLoader());
      sources
          .getClass()
          .getMethod("replace", String.class, propertySource)
          .invoke(sources, "systemEnvironment", fresh);
    } catch (Throwable t) {
      // the refresh still runs; relaxed names from the environment may keep their bound values
    }
  }

  /** The refresher's {@code context} field, or null when this Spring Cloud version has none. */
  private static Object context(Object refresher) throws IllegalAccessException {
    for (Class<?> c = refresher.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals(CLOUD_CLASS.replace('/', '.'))) {
        try {
          java.lang.reflect.Field f = c.getDeclaredField("context");
          f.setAccessible(true);
          return f.get(refresher);
        } catch (NoSuchFieldException e) {
          return null;
        }
      }
    }
    return null;
  }

  static void forget(Object refresher) {
    synchronized (LOCK) {
      for (Iterator<Entry> it = REFRESHERS.iterator(); it.hasNext(); ) {
        Object r = it.next().refresher.get();
        if (r == null || r == refresher) {
          it.remove();
        }
      }
    }
  }

  /** One line, the failure's class names only: Spring's messages may quote property values. */
  private static void failed(Throwable t) {
    StringBuilder chain = new StringBuilder();
    for (int i = 0; t != null && i < 4; t = t.getCause(), i++) {
      chain.append(i == 0 ? "" : " <- ").append(t.getClass().getName());
    }
    System.err.println(
        "bao-injector agent: Spring refresh after a rotation failed ("
            + chain
            + "); the new values are in the environment, the next rotation refreshes again");
  }
}
