package io.baoinjector.agent.bootstrap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Connection pools whose credentials came from managed values ({@code pools} option): each pool
 * constructed after {@code premain} is matched once against the snapshot current when it was built
 * (see {@link HikariBinding}), and every later snapshot is pushed into the bound pools.
 *
 * <p>Threads: the constructor hook only queues the pool and wakes the worker; the transport thread
 * only swaps {@link #latest} and wakes the worker. Every reflective call into a pool happens on the
 * worker ({@code bao-injector-pools}, a daemon started by the first pool), so neither the
 * application's constructor nor the transport thread waits on a pool, and {@code getenv} never sees
 * any of it. {@link #SIGNAL} guards only the queue and is never held while calling a pool.
 */
public final class Pools {
  public static final int OFF = 0;
  public static final int FOLLOW = 1;
  public static final int EVICT_IDLE = 2;

  private static volatile int mode = FOLLOW;

  /** One published snapshot: env values and managed system properties, in publication order. */
  static final class Snapshot {
    final long seq;
    final long revision;
    final Map<String, String> env;
    final Map<String, String> properties;

    Snapshot(long seq, long revision, Map<String, String> env, Map<String, String> properties) {
      this.seq = seq;
      this.revision = revision;
      this.env = env;
      this.properties = properties;
    }
  }

  private static volatile Snapshot latest =
      new Snapshot(0, 0, new HashMap<String, String>(), new HashMap<String, String>());
  private static volatile Snapshot previous;

  private static final Object SIGNAL = new Object();

  /** Pools built but not yet matched: {pool, config, snapshot then, the one before}. */
  private static final List<Object[]> CREATED = new ArrayList<Object[]>();

  private static Thread worker;

  private Pools() {}

  public static void setMode(int m) {
    mode = m;
  }

  static int mode() {
    return mode;
  }

  /** A new snapshot, from the transport thread (one at a time). */
  public static void published(
      long revision, Map<String, String> env, Map<String, String> properties) {
    Snapshot s =
        new Snapshot(
            latest.seq + 1,
            revision,
            new HashMap<String, String>(env),
            properties == null
                ? new HashMap<String, String>()
                : new HashMap<String, String>(properties));
    previous = latest;
    latest = s;
    synchronized (SIGNAL) {
      if (worker != null) {
        SIGNAL.notifyAll();
      }
    }
  }

  /** End of the {@code HikariPool(HikariConfig)} constructor, on the application's thread. */
  static void created(Object pool, Object config) {
    if (mode == OFF || pool == null || config == null) {
      return;
    }
    synchronized (SIGNAL) {
      CREATED.add(new Object[] {pool, config, latest, previous});
      if (worker == null) {
        worker = new Thread(new Worker(), "bao-injector-pools");
        worker.setDaemon(true);
        worker.start();
      }
      SIGNAL.notifyAll();
    }
  }

  private static final class Worker implements Runnable {
    private final List<HikariBinding> bindings = new ArrayList<HikariBinding>();

    @Override
    public void run() {
      long seen = -1;
      while (true) {
        List<Object[]> fresh;
        Snapshot now;
        synchronized (SIGNAL) {
          while (CREATED.isEmpty() && latest.seq == seen) {
            try {
              SIGNAL.wait();
            } catch (InterruptedException e) {
              return;
            }
          }
          fresh = new ArrayList<Object[]>(CREATED);
          CREATED.clear();
          now = latest;
        }
        seen = now.seq;
        for (Object[] c : fresh) {
          try {
            HikariBinding b = HikariBinding.bind(c[0], c[1], (Snapshot) c[2], (Snapshot) c[3]);
            if (b != null) {
              bindings.add(b);
            }
          } catch (Throwable t) {
            line("could not read the credentials of a connection pool (" + reason(t) + ")");
          }
        }
        for (Iterator<HikariBinding> it = bindings.iterator(); it.hasNext(); ) {
          HikariBinding b = it.next();
          try {
            if (!b.follow(now, mode)) {
              it.remove();
            }
          } catch (Throwable t) {
            line(
                "could not apply revision "
                    + now.revision
                    + " to "
                    + b.name
                    + " ("
                    + reason(t)
                    + ")");
          }
        }
      }
    }
  }

  static void line(String message) {
    System.err.println("bao-injector agent: " + message);
  }

  /** The exception's type only: a driver's message may quote what it was given. */
  static String reason(Throwable t) {
    while (t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getName();
  }
}
