package io.baoinjector.agent.transport;

import java.nio.file.Path;

/** The sidecar's two transports, and what their failures say; the only public entry here. */
public final class Sources {
  private Sources() {}

  /**
   * The socket transport.
   *
   * @return {@code null} when this JVM has no Unix-domain socket channels (before Java 16)
   */
  public static Source socket(String path) {
    UnixSockets sockets = UnixSockets.available();
    return sockets == null ? null : new SocketSource(sockets, path, Watchdog.start());
  }

  /** The file transport; {@code properties} may be {@code null}. */
  public static Source file(Path dotenv, Path properties) {
    return new FileSource(dotenv, properties);
  }

  /** Why the sidecar refused {@code failure} (a 403), or null when it did not refuse. */
  public static String refusal(Exception failure) {
    return failure instanceof SocketSource.Refused ? failure.getMessage() : null;
  }

  /**
   * What the sidecar still lacks when {@code failure} found it starting (e.g. {@code 2 names
   * unresolved (A, B)}, possibly empty), or null when it was not starting.
   */
  public static String starting(Exception failure) {
    return failure instanceof Starting ? ((Starting) failure).detail : null;
  }
}
