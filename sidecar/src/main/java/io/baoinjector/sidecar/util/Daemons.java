package io.baoinjector.sidecar.util;

import java.util.concurrent.ThreadFactory;

/** The sidecar's background threads: daemons, so none keeps the JVM from exiting, and named. */
public final class Daemons {
  private Daemons() {}

  /** A factory of daemon threads named {@code name}. */
  public static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Starts {@code r} on a daemon thread named {@code name}. */
  public static Thread start(String name, Runnable r) {
    Thread t = named(name).newThread(r);
    t.start();
    return t;
  }
}
