package io.baoinjector.agent.transport;

import io.baoinjector.agent.util.Log;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;

/**
 * Unix-domain sockets through the JDK 16+ API, reached reflectively because the agent's class files
 * are Java 8 ({@code UnixDomainSocketAddress} and {@code StandardProtocolFamily.UNIX} don't exist
 * there).
 */
final class UnixSockets {
  private final Method open;
  private final Method addressOf;
  private final ProtocolFamily unix;

  private UnixSockets(Method open, Method addressOf, ProtocolFamily unix) {
    this.open = open;
    this.addressOf = addressOf;
    this.unix = unix;
  }

  /** The JDK's support, or {@code null} on a JVM older than 16. */
  static UnixSockets available() {
    try {
      Class<?> address = Class.forName("java.net.UnixDomainSocketAddress");
      return new UnixSockets(
          SocketChannel.class.getMethod("open", ProtocolFamily.class),
          address.getMethod("of", String.class),
          StandardProtocolFamily.valueOf("UNIX"));
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      return null;
    }
  }

  SocketChannel connect(String path) throws IOException {
    try {
      SocketChannel channel = (SocketChannel) open.invoke(null, unix);
      try {
        channel.connect((SocketAddress) addressOf.invoke(null, path));
        return channel;
      } catch (IOException | RuntimeException | InvocationTargetException e) {
        channel.close();
        throw e;
      }
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      throw new IOException(Log.reason(cause), cause);
    } catch (IllegalAccessException e) {
      throw new IOException("Unix-domain sockets not accessible", e);
    }
  }
}
