package io.baoinjector.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FaultProxyTest {
  private HttpServer target;
  private final AtomicInteger served = new AtomicInteger();

  @BeforeEach
  void startTarget() throws IOException {
    target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    target.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          served.incrementAndGet();
          byte[] b = ("ok " + ex.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    target.start();
  }

  @AfterEach
  void stopTarget() {
    target.stop(0);
  }

  @Test
  void passForwardsKeepAliveRequestsWithBodiesAndCountsThem() throws IOException {
    try (FaultProxy p = FaultProxy.to(target.getAddress().getPort());
        Socket s = connect(p)) {
      String r1 = exchange(s, "POST /v1/auth/token/renew-self HTTP/1.1", "{\"increment\":\"5s\"}");
      String r2 = exchange(s, "GET /v1/secret/data/app?version=2 HTTP/1.1", "");
      assertTrue(r1.startsWith("HTTP/1.1 200") && r1.endsWith("ok /v1/auth/token/renew-self"), r1);
      assertTrue(r2.endsWith("ok /v1/secret/data/app"), r2);
      assertEquals(2, p.forwarded());
      assertEquals(1, p.forwarded("renew-self"));
      assertEquals(1, p.connections(), "both requests on one keep-alive connection");
      assertEquals(2, served.get());
    }
  }

  @Test
  void resetAbortsOpenConnectionsAndResetsNewOnes() throws IOException {
    try (FaultProxy p = FaultProxy.to(target.getAddress().getPort());
        Socket pooled = connect(p)) {
      exchange(pooled, "GET /a HTTP/1.1", "");
      p.mode(FaultProxy.Mode.RESET);
      assertThrows(IOException.class, () -> exchange(pooled, "GET /b HTTP/1.1", ""));
      try (Socket fresh = connect(p)) {
        SocketException e =
            assertThrows(SocketException.class, () -> exchange(fresh, "GET /c HTTP/1.1", ""));
        assertTrue(String.valueOf(e.getMessage()).contains("reset"), String.valueOf(e));
      }
      assertEquals(1, served.get(), "nothing reached the target while resetting");
      assertEquals(1, p.refused());
    }
  }

  @Test
  void stallAcceptsAndNeverAnswersThenPassRecovers() throws IOException {
    try (FaultProxy p = FaultProxy.to(target.getAddress().getPort())) {
      p.mode(FaultProxy.Mode.STALL);
      try (Socket s = connect(p)) {
        s.setSoTimeout(500);
        assertThrows(SocketTimeoutException.class, () -> exchange(s, "GET /x HTTP/1.1", ""));
      }
      assertEquals(0, served.get());
      assertEquals(0, p.activeThreads(), "a stalled connection holds no thread");
      p.mode(FaultProxy.Mode.PASS);
      try (Socket s = connect(p)) {
        assertTrue(exchange(s, "GET /y HTTP/1.1", "").endsWith("ok /y"));
      }
    }
  }

  @Test
  void http503AnswersEveryRequestWithoutReachingTheTarget() throws IOException {
    try (FaultProxy p = FaultProxy.to(target.getAddress().getPort())) {
      p.mode(FaultProxy.Mode.HTTP_503);
      try (Socket s = connect(p)) {
        for (int i = 0; i < 3; i++) {
          String r = exchange(s, "PUT /v1/auth/token/renew-self HTTP/1.1", "{}");
          assertTrue(r.startsWith("HTTP/1.1 503"), r);
          assertTrue(r.contains("fault proxy"), r);
        }
      }
      assertEquals(0, served.get());
      assertEquals(0, p.forwarded());
      assertEquals(3, p.refused(), "each 503 is counted");
    }
  }

  @Test
  void threadsAreBoundedAndCloseReleasesThem() throws Exception {
    FaultProxy p = FaultProxy.to(target.getAddress().getPort());
    Socket[] held = new Socket[FaultProxy.MAX_THREADS];
    try {
      p.mode(FaultProxy.Mode.HTTP_503);
      // each idle 503 connection holds one thread; more than the bound are reset, never queued
      for (int i = 0; i < held.length; i++) {
        held[i] = connect(p);
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (p.connections() < held.length && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertTrue(p.activeThreads() <= FaultProxy.MAX_THREADS, "threads " + p.activeThreads());
    } finally {
      p.close();
      for (Socket s : held) {
        if (s != null) {
          s.close();
        }
      }
    }
    assertEquals(0, p.activeThreads(), "close ends every proxy thread");
    assertThrows(IOException.class, () -> connect(p).getInputStream().read());
  }

  private static Socket connect(FaultProxy p) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), p.port());
    s.setSoTimeout(10_000);
    return s;
  }

  /** One request on {@code s}; returns the status line through the body (Content-Length). */
  private static String exchange(Socket s, String requestLine, String body) throws IOException {
    OutputStream out = s.getOutputStream();
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    String head = requestLine + "\r\nHost: 127.0.0.1\r\nContent-Length: " + b.length + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.flush();
    InputStream in = s.getInputStream();
    StringBuilder h = new StringBuilder();
    while (!h.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("closed before the response head: " + h);
      }
      h.append((char) c);
    }
    String lower = h.toString().toLowerCase();
    int i = lower.indexOf("content-length:");
    int len = Integer.parseInt(lower.substring(i + 15, lower.indexOf("\r\n", i)).trim());
    return h + new String(in.readNBytes(len), StandardCharsets.UTF_8);
  }
}
