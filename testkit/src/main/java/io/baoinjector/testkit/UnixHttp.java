package io.baoinjector.testkit;

import io.baoinjector.shared.wire.MiniHttp;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A test-side HTTP/1.1 GET (or body-less POST) over a Unix socket, through the same {@link
 * MiniHttp} the agent uses — so every test that talks to the real sidecar also exercises the
 * agent's client against Jetty.
 */
public final class UnixHttp {
  private UnixHttp() {}

  /** A status and body. */
  public record Response(int status, String body) {}

  public static Response get(Path socket, String target) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      MiniHttp.Response r =
          MiniHttp.get(Channels.newInputStream(ch), Channels.newOutputStream(ch), target);
      return new Response(r.status, r.body);
    }
  }

  /** A body-less POST (as {@code POST /v1/refresh} takes). */
  public static Response post(Path socket, String target) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      MiniHttp.Response r =
          MiniHttp.post(Channels.newInputStream(ch), Channels.newOutputStream(ch), target);
      return new Response(r.status, r.body);
    }
  }
}
