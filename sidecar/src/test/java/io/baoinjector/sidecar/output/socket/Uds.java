package io.baoinjector.sidecar.output.socket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A tiny HTTP/1.1 client over the JDK's Unix-domain sockets, for tests. */
final class Uds {
  private Uds() {}

  record Resp(int status, String head, String body) {}

  static Resp get(Path socket, String target) throws IOException {
    return raw(socket, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  }

  static Resp raw(Path socket, String request) throws IOException {
    try (SocketChannel ch = open(socket)) {
      try {
        ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
      } catch (IOException e) {
        return new Resp(-1, "write failed: " + e.getMessage(), ""); // closed by the server
      }
      return read(ch);
    }
  }

  static SocketChannel open(Path socket) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    ch.connect(UnixDomainSocketAddress.of(socket));
    return ch;
  }

  /** Reads until the server closes the connection. */
  static Resp read(SocketChannel ch) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(8192);
    while (true) {
      int n;
      try {
        n = ch.read(buf);
      } catch (IOException e) {
        break; // reset by peer counts as end
      }
      if (n < 0) {
        break;
      }
      out.write(buf.array(), 0, buf.position());
      buf.clear();
    }
    return parse(out.toString(StandardCharsets.UTF_8));
  }

  static Resp parse(String s) {
    int end = s.indexOf("\r\n\r\n");
    if (!s.startsWith("HTTP/1.1 ") || end < 0) {
      return new Resp(-1, s, "");
    }
    int status = Integer.parseInt(s.substring(9, 12));
    return new Resp(status, s.substring(0, end), s.substring(end + 4));
  }
}
