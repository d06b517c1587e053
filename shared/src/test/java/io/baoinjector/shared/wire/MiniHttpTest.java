package io.baoinjector.shared.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MiniHttpTest {
  private static MiniHttp.Response exchange(String response, ByteArrayOutputStream sent)
      throws IOException {
    return MiniHttp.get(
        new ByteArrayInputStream(response.getBytes(StandardCharsets.UTF_8)),
        sent,
        "/v1/env?after=3");
  }

  @Test
  void sendsOneGetAndReadsAContentLengthBody() throws Exception {
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    MiniHttp.Response r =
        exchange("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nX-A: b\r\n\r\n{\"é\":1}", sent);
    assertEquals(200, r.status);
    assertEquals("{\"é\":1}", r.body);
    assertEquals(
        "GET /v1/env?after=3 HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
            + "Connection: close\r\n\r\n",
        sent.toString("US-ASCII"));
  }

  @Test
  void readsChunkedAndCloseDelimitedBodies() throws Exception {
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    MiniHttp.Response chunked =
        exchange(
            "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;x=y\r\n{\"a\r\n3\r\n\":1\r\n1\r\n}\r\n0\r\nTrailer: z\r\n\r\n",
            sent);
    assertEquals(503, chunked.status);
    assertEquals("{\"a\":1}", chunked.body);
    assertEquals("body", exchange("HTTP/1.0 200 OK\nServer: x\n\nbody", sent).body);
  }

  @Test
  void rejectsMalformedAndOversizedResponsesWithoutQuotingThem() {
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    String[][] cases = {
      {"SSH-2.0-secret\r\n\r\n", "http: malformed status line"},
      {"HTTP/1.1 2x0 OK\r\n\r\n", "http: malformed status code"},
      {"HTTP/1.1 200 OK\r\nsecret\r\n\r\n", "http: malformed header line"},
      {
        "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n",
        "http: Content-Length out of range"
      },
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "http: unsupported Transfer-Encoding"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "http: malformed chunk size"},
      {
        "HTTP/1.1 200 OK\r\n" + "X: " + repeat('s', 9000) + "\r\n\r\n",
        "http: line longer than 8192 bytes"
      },
    };
    for (String[] c : cases) {
      WireFormatException e =
          assertThrows(WireFormatException.class, () -> exchange(c[0], sent), c[1]);
      assertEquals(c[1], e.getMessage());
      assertFalse(e.getMessage().contains("secret"));
    }
    StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 70; i++) {
      many.append("X: y\r\n");
    }
    assertEquals(
        "http: more than 64 headers",
        assertThrows(WireFormatException.class, () -> exchange(many + "\r\n", sent)).getMessage());
  }

  @Test
  void aTruncatedBodyIsAnEofNotAShortValue() {
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    assertThrows(
        EOFException.class,
        () -> exchange("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"a\"", sent));
    assertThrows(EOFException.class, () -> exchange("HTTP/1.1 200 OK\r\nX: y", sent));
  }

  @Test
  void aBodyThatIsNotUtf8IsAnErrorNotReplacementCharacters() {
    byte[] head =
        "HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\n{\"a\":\"pw-"
            .getBytes(StandardCharsets.US_ASCII);
    byte[] response = java.util.Arrays.copyOf(head, head.length + 5);
    response[head.length] = (byte) 0xc3; // a lead byte whose continuation is missing
    response[head.length + 1] = (byte) 0x28;
    response[head.length + 2] = (byte) 'x';
    response[head.length + 3] = (byte) '"';
    response[head.length + 4] = (byte) '}';
    WireFormatException e =
        assertThrows(
            WireFormatException.class,
            () ->
                MiniHttp.get(
                    new ByteArrayInputStream(response), new ByteArrayOutputStream(), "/v1/env"));
    assertEquals("http: body: invalid UTF-8 at byte 9", e.getMessage());
  }

  private static String repeat(char c, int n) {
    char[] chars = new char[n];
    java.util.Arrays.fill(chars, c);
    return new String(chars);
  }
}
