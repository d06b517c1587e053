package io.baoinjector.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Just enough HTTP/1.1 framing for {@link FaultProxy} to count requests: heads and lengths. */
final class HttpHeads {
  private static final int MAX_HEADER_BYTES = 64 * 1024;

  private HttpHeads() {}

  /** The request head up to and including the blank line; null at a clean end of stream. */
  static byte[] read(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(512);
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) {
        if (b.size() == 0) {
          return null;
        }
        throw new IOException("connection ended inside a request head");
      }
      b.write(c);
      if (b.size() > MAX_HEADER_BYTES) {
        throw new IOException("request head too large");
      }
      matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    return b.toByteArray();
  }

  static long contentLength(String lowerHead) {
    int i = lowerHead.indexOf("\r\ncontent-length:");
    if (i < 0) {
      return 0;
    }
    int start = i + "\r\ncontent-length:".length();
    int end = lowerHead.indexOf("\r\n", start);
    return Long.parseLong(lowerHead.substring(start, end).trim());
  }
}
