package io.baoinjector.sidecar.output.socket;

import static io.baoinjector.sidecar.output.socket.Snapshots.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.testkit.Await;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A hostile local client must not stop the sidecar from answering everybody else. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SocketHostileTest extends SocketServerFixture {
  SocketHostileTest() {
    super("inst-h");
  }

  void start(SocketServer.Limits limits) throws IOException {
    server(0600, List.of(), null, () -> true, limits).start();
    hub.publish(entries("DB_PASSWORD", "pw"), Map.of(), Set.of(), false, true);
  }

  @Test
  void oversizedHeadersGet431AsJson() throws Exception {
    start(SocketServer.Limits.DEFAULTS);
    String big = "x".repeat(64 * 1024);
    Uds.Resp r =
        Uds.raw(sock(), "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n");
    assertEquals(431, r.status(), r.head());
    assertEquals(431, new ObjectMapper().readTree(r.body()).get("status").asInt(), r.body());
    assertEquals(200, Uds.get(sock(), "/v1/health").status());
  }

  @Test
  void malformedRequestsGet400() throws Exception {
    start(SocketServer.Limits.DEFAULTS);
    for (String bad :
        List.of(
            "GARBAGE\r\n\r\n",
            "GET /v1/health HTTP/9.9\r\n\r\n",
            "GET /v1/health HTTP/1.1\r\nNo-Colon-Header\r\n\r\n",
            "GET /v1/health HTTP/1.1\r\n\r\n" /* no Host */)) {
      Uds.Resp r = Uds.raw(sock(), bad);
      assertTrue(r.status() == 400 || r.status() == 505, bad + " -> " + r.head());
      if (r.status() == 400) {
        assertEquals(400, new ObjectMapper().readTree(r.body()).get("status").asInt(), r.body());
      }
    }
    assertEquals(200, Uds.get(sock(), "/v1/health").status());
  }

  @Test
  void slowlorisIsCutWhileOthersAreServed() throws Exception {
    start(limits(1024, 256, Duration.ofMillis(500)));
    byte[] dribble =
        "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
    try (SocketChannel ch = Uds.open(sock())) {
      int sent = 0;
      boolean cut = false;
      // One byte every 50 ms keeps an idle timer alive forever; the request deadline must not.
      for (int i = 0; i < 20_000 && !cut; i++) {
        byte b = i < dribble.length ? dribble[i] : (byte) 'a';
        try {
          ch.write(ByteBuffer.wrap(new byte[] {b}));
          sent++;
        } catch (IOException e) {
          cut = true;
          break;
        }
        if (i == 5) {
          assertEquals(200, Uds.get(sock(), "/v1/health").status(), "others are served");
        }
        Thread.sleep(50);
        ch.configureBlocking(false);
        ByteBuffer probe = ByteBuffer.allocate(1);
        try {
          if (ch.read(probe) < 0) {
            cut = true;
          }
        } catch (IOException e) {
          cut = true;
        }
        ch.configureBlocking(true);
      }
      assertTrue(cut, "slow client was never cut after " + sent + " bytes");
    }
    assertEquals(200, Uds.get(sock(), "/v1/health").status());
  }

  @Test
  void thousandIdleConnectionsThenANormalClientIsServedAndHeapStaysBounded() throws Exception {
    // every connection here is root's: lift the per-uid cap so all 1,000 are held
    SocketServer.Limits d = SocketServer.Limits.DEFAULTS;
    start(limits(d.maxConnections(), d.maxConnections(), d.requestTimeout()));
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = mem.getHeapMemoryUsage().getUsed();
    List<SocketChannel> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 1000; i++) {
        idle.add(Uds.open(sock()));
      }
      // half of them also start a request they never finish
      for (int i = 0; i < 500; i++) {
        idle.get(i)
            .write(
                ByteBuffer.wrap("GET /v1/env HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII)));
      }
      for (int i = 0; i < 20; i++) {
        assertEquals(200, Uds.get(sock(), "/v1/secrets/DB_PASSWORD").status());
      }
      System.gc();
      long after = mem.getHeapMemoryUsage().getUsed();
      // Generous: 1,000 connections cost a few MB in Jetty; a per-connection leak of buffers
      // (64 KB+ each) would blow through this.
      assertTrue(
          after - before < 64L * 1024 * 1024,
          "heap grew by " + (after - before) / 1024 + " KB with 1,000 idle connections");
    } finally {
      for (SocketChannel c : idle) {
        c.close();
      }
    }
    assertEquals(200, Uds.get(sock(), "/v1/health").status());
  }

  @Test
  void moreConnectionsThanTheLimitDoNotLockOthersOut() throws Exception {
    start(limits(50, 50, Duration.ofMillis(500)));
    List<SocketChannel> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 120; i++) {
        idle.add(Uds.open(sock()));
      }
      // Over the limit Jetty closes new connections at once; the idle ones holding the slots are
      // cut by the request deadline, so a well-behaved client gets in soon after.
      Await.until(
          Duration.ofSeconds(120),
          () -> "a normal client was locked out",
          () -> Uds.get(sock(), "/v1/health").status() == 200);
    } finally {
      for (SocketChannel c : idle) {
        c.close();
      }
    }
  }
}
