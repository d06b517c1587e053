package io.baoinjector.agent.transport;

import java.nio.file.Path;

/** Starts the refresh thread for the chosen source; the only public entry of this package. */
public final class Transport {
  private final Refresher refresher;
  private final String where;

  private Transport(Source source) {
    this.refresher = new Refresher(source);
    this.where = source.where();
  }

  /**
   * The socket transport.
   *
   * @return {@code null} when this JVM has no Unix-domain socket channels (before Java 16)
   */
  public static Transport socket(String path) {
    UnixSockets sockets = UnixSockets.available();
    return sockets == null
        ? null
        : new Transport(new SocketSource(sockets, path, Watchdog.start()));
  }

  /** The file transport; {@code properties} may be {@code null}. */
  public static Transport file(Path dotenv, Path properties) {
    return new Transport(new FileSource(dotenv, properties));
  }

  public String where() {
    return where;
  }

  /** Starts the daemon thread that keeps the snapshot current. */
  public Transport start() {
    Thread t = new Thread(refresher, "bao-injector-agent-refresh");
    t.setDaemon(true);
    t.start();
    return this;
  }

  /** Waits up to {@code millis} for the first snapshot; {@code true} once it is published. */
  public boolean awaitFirst(long millis) throws InterruptedException {
    return refresher.awaitFirst(millis);
  }

  /** Why the sidecar refused the last attempt (HTTP 403), or null. */
  public String refusal() {
    return refresher.refusal();
  }

  /**
   * When the last attempt found the sidecar still starting: what it lacks (e.g. {@code 2 names
   * unresolved (A, B)}, possibly empty); null when it was not starting.
   */
  public String starting() {
    return refresher.starting();
  }
}
