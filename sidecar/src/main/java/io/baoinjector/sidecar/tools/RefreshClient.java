package io.baoinjector.sidecar.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code POST /v1/refresh} on a running sidecar's socket: re-read every KV path now. A sidecar that
 * predates the endpoint answers 404 or 405.
 */
final class RefreshClient {
  /** The status and body of the answer. */
  record Answer(int status, String body) {}

  private RefreshClient() {}

  static Answer refresh(Path socket) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      OutputStream out = Channels.newOutputStream(ch);
      out.write(
          ("POST /v1/refresh HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                  + "Content-Length: 0\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = Channels.newInputStream(ch);
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      // Connection: close, so the answer ends at EOF; a refresh answer is a few bytes
      for (int n; all.size() < 65536 && (n = in.read(buf)) > 0; ) {
        all.write(buf, 0, n);
      }
      String text = all.toString(StandardCharsets.UTF_8);
      if (!text.startsWith("HTTP/1.") || text.length() < 12) {
        throw new IOException("the sidecar's answer is not HTTP");
      }
      int status;
      try {
        status = Integer.parseInt(text.substring(9, 12));
      } catch (NumberFormatException e) {
        throw new IOException("the sidecar's answer has no status");
      }
      int body = text.indexOf("\r\n\r\n");
      return new Answer(status, body < 0 ? "" : text.substring(body + 4));
    }
  }
}
