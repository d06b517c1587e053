package io.baoinjector.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests a {@link FaultProxy} forwarded, counted per request line without its query ({@code
 * POST /v1/auth/token/renew-self}), so a test can say how many of which reached OpenBao.
 */
final class RequestTally {
  private final Map<String, AtomicLong> requestLines = new ConcurrentHashMap<>();
  private final AtomicLong forwarded = new AtomicLong();

  long total() {
    return forwarded.get();
  }

  /** How many forwarded requests had a request line containing {@code fragment}. */
  long matching(String fragment) {
    long n = 0;
    for (Map.Entry<String, AtomicLong> e : requestLines.entrySet()) {
      if (e.getKey().contains(fragment)) {
        n += e.getValue().get();
      }
    }
    return n;
  }

  /** Client to server, framing HTTP/1.1 requests (Content-Length bodies) to count them. */
  void pump(InputStream in, OutputStream out) throws IOException {
    while (true) {
      byte[] head = HttpHeads.read(in);
      if (head == null) {
        return;
      }
      String text = new String(head, StandardCharsets.ISO_8859_1);
      String line = text.substring(0, Math.max(0, text.indexOf("\r\n")));
      String query = line.indexOf('?') < 0 ? line : line.substring(0, line.indexOf('?'));
      requestLines.computeIfAbsent(query, k -> new AtomicLong()).incrementAndGet();
      forwarded.incrementAndGet();
      out.write(head);
      String lower = text.toLowerCase(Locale.ROOT);
      if (lower.contains("\r\ntransfer-encoding:")) {
        // not framed by length: pass the rest of the connection through unparsed
        in.transferTo(out);
        return;
      }
      long length = HttpHeads.contentLength(lower);
      byte[] buf = new byte[8192];
      while (length > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, length));
        if (n < 0) {
          return;
        }
        out.write(buf, 0, n);
        length -= n;
      }
      out.flush();
    }
  }
}
