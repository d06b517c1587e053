package io.baoinjector.shared.wire;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client over a stream pair (the agent's Unix socket), JDK-only for Java 8.
 *
 * <p>One request per connection ({@code GET}, or a body-less {@code POST}; {@code Connection:
 * close}); the response body may be framed by {@code Content-Length}, {@code chunked} transfer
 * coding, or the end of the stream. Everything is bounded: header lines to {@value #MAX_LINE}
 * bytes, {@value #MAX_HEADERS} headers, bodies to {@link #MAX_BODY} bytes. Anything else is a
 * {@link WireFormatException} whose message quotes no received bytes.
 */
public final class MiniHttp {
  static final int MAX_LINE = 8192;
  static final int MAX_HEADERS = 64;
  static final int MAX_BODY = 16 * 1024 * 1024;

  private MiniHttp() {}

  /** A response: status code and the body decoded as UTF-8 (strictly: see {@link Utf8}). */
  public static final class Response {
    public final int status;
    public final String body;

    Response(int status, String body) {
      this.status = status;
      this.body = body;
    }

    @Override
    public String toString() {
      return "HTTP " + status + " (" + body.length() + " chars)";
    }
  }

  /**
   * Sends {@code GET target} and reads the whole response.
   *
   * @param target the request target, e.g. {@code /v1/env?after=3}; must be printable ASCII
   */
  public static Response get(InputStream in, OutputStream out, String target) throws IOException {
    return send("GET", in, out, target, "");
  }

  /**
   * Sends {@code POST target} without a body ({@code Content-Length: 0}) and reads the response.
   */
  public static Response post(InputStream in, OutputStream out, String target) throws IOException {
    return send("POST", in, out, target, "Content-Length: 0\r\n");
  }

  private static Response send(
      String method, InputStream in, OutputStream out, String target, String headers)
      throws IOException {
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException("target must be printable ASCII without spaces");
      }
    }
    String request =
        method
            + " "
            + target
            + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
            + headers
            + "Connection: close\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return read(in);
  }

  static Response read(InputStream in) throws IOException {
    String statusLine = line(in);
    if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
      throw new WireFormatException("http: malformed status line");
    }
    int status;
    try {
      status = Integer.parseInt(statusLine.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new WireFormatException("http: malformed status code");
    }
    long length = -1;
    boolean chunked = false;
    for (int n = 0; ; n++) {
      String header = line(in);
      if (header.isEmpty()) {
        break;
      }
      if (n >= MAX_HEADERS) {
        throw new WireFormatException("http: more than " + MAX_HEADERS + " headers");
      }
      int colon = header.indexOf(':');
      if (colon <= 0) {
        throw new WireFormatException("http: malformed header line");
      }
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        try {
          length = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new WireFormatException("http: malformed Content-Length");
        }
        if (length < 0 || length > MAX_BODY) {
          throw new WireFormatException("http: Content-Length out of range");
        }
      } else if (name.equals("transfer-encoding")) {
        if (!value.equalsIgnoreCase("chunked")) {
          throw new WireFormatException("http: unsupported Transfer-Encoding");
        }
        chunked = true;
      }
    }
    byte[] body;
    if (chunked) {
      body = chunked(in);
    } else if (length >= 0) {
      body = exactly(in, (int) length);
    } else {
      body = untilEof(in);
    }
    return new Response(status, Utf8.decode(body, "http: body"));
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(in);
      int semi = sizeLine.indexOf(';');
      String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
      int size;
      try {
        size = Integer.parseInt(hex, 16);
      } catch (NumberFormatException e) {
        throw new WireFormatException("http: malformed chunk size");
      }
      if (size < 0 || body.size() + (long) size > MAX_BODY) {
        throw new WireFormatException("http: body larger than " + MAX_BODY + " bytes");
      }
      if (size == 0) {
        while (!line(in).isEmpty()) {
          // trailers are ignored
        }
        return body.toByteArray();
      }
      body.write(exactly(in, size));
      if (!line(in).isEmpty()) {
        throw new WireFormatException("http: malformed chunk end");
      }
    }
  }

  private static byte[] exactly(InputStream in, int length) throws IOException {
    byte[] buf = new byte[length];
    int off = 0;
    while (off < length) {
      int r = in.read(buf, off, length - off);
      if (r < 0) {
        throw new EOFException("http: body ended early");
      }
      off += r;
    }
    return buf;
  }

  private static byte[] untilEof(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int r;
    while ((r = in.read(buf)) >= 0) {
      if (body.size() + r > MAX_BODY) {
        throw new WireFormatException("http: body larger than " + MAX_BODY + " bytes");
      }
      body.write(buf, 0, r);
    }
    return body.toByteArray();
  }

  /** A CRLF-terminated line (a bare LF is tolerated), without the terminator. */
  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("http: connection closed mid-response");
      }
      if (b == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
          sb.setLength(len - 1);
        }
        return sb.toString();
      }
      if (sb.length() >= MAX_LINE) {
        throw new WireFormatException("http: line longer than " + MAX_LINE + " bytes");
      }
      sb.append((char) b);
    }
  }
}
