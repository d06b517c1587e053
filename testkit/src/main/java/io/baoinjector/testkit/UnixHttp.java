package io.baoinjector.testkit;

import io.baoinjector.shared.wire.MiniHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
    return exchange(socket, target, MiniHttp::get);
  }

  /** A body-less POST (as {@code POST /v1/refresh} takes). */
  public static Response post(Path socket, String target) throws IOException {
    return exchange(socket, target, MiniHttp::post);
  }

  private interface Call {
    MiniHttp.Response send(InputStream in, OutputStream out, String target) throws IOException;
  }

  private static Response exchange(Path socket, String target, Call call) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      MiniHttp.Response r =
          call.send(Channels.newInputStream(ch), Channels.newOutputStream(ch), target);
      return new Response(r.status, r.body);
    }
  }
}
