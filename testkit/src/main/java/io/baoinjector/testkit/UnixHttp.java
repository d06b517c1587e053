package io.baoinjector.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A test-side HTTP/1.1 GET over a Unix socket ({@code Connection: close}, reads to EOF). */
public final class UnixHttp {
  private UnixHttp() {}

  /** A status and body. */
  public record Response(int status, String body) {}

  public static Response get(Path socket, String target) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      String req = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
      ch.write(ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(8192);
      while (ch.read(buf) >= 0) {
        buf.flip();
        out.write(buf.array(), 0, buf.limit());
        buf.clear();
      }
      String raw = out.toString(StandardCharsets.UTF_8);
      int status = Integer.parseInt(raw.substring(9, 12));
      int bodyAt = raw.indexOf("\r\n\r\n");
      String headers = raw.substring(0, bodyAt);
      String body = raw.substring(bodyAt + 4);
      if (headers.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
        body = unchunk(body);
      }
      return new Response(status, body);
    }
  }

  private static String unchunk(String s) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      int eol = s.indexOf("\r\n", i);
      int n = Integer.parseInt(s.substring(i, eol).trim(), 16);
      if (n == 0) {
        break;
      }
      b.append(s, eol + 2, eol + 2 + n);
      i = eol + 2 + n + 2;
    }
    return b.toString();
  }
}
