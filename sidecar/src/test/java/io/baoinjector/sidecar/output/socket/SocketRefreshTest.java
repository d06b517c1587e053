package io.baoinjector.sidecar.output.socket;

import static io.baoinjector.sidecar.output.socket.Snapshots.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.snapshot.Snapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code POST /v1/refresh} against a trigger the test completes: statuses, bodies, no thread. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SocketRefreshTest extends SocketServerFixture {
  static final ObjectMapper JSON = new ObjectMapper();

  AtomicReference<CompletableFuture<Snapshot>> round = new AtomicReference<>();
  AtomicInteger asked = new AtomicInteger();

  SocketRefreshTest() {
    super("inst-1");
  }

  void start(List<String> allow, OutputSettings.Http http) throws IOException {
    hub.publish(entries("A", "1"), Map.of(), Set.of(), false, true);
    server(0600, allow, http, () -> true, SocketServer.Limits.DEFAULTS)
        .refreshWith(
            () -> {
              asked.incrementAndGet();
              return round.get();
            });
    server.start();
  }

  static Uds.Resp post(Path socket, String target) throws IOException {
    return Uds.raw(
        socket,
        "POST "
            + target
            + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  }

  /** Sends the request and leaves the connection open; the answer is read later. */
  static SocketChannel postOpen(Path socket, String target) throws IOException {
    SocketChannel ch = Uds.open(socket);
    ch.write(
        ByteBuffer.wrap(
            ("POST "
                    + target
                    + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
    return ch;
  }

  @Test
  void answersTheRevisionTheRoundPublishedOnceItEnds() throws Exception {
    round.set(new CompletableFuture<>());
    start(List.of(), null);
    try (SocketChannel ch = postOpen(sock(), "/v1/refresh")) {
      awaitParked(1);
      Snapshot next = hub.publish(entries("A", "2"), Map.of(), Set.of(), false, true);
      assertEquals(1, server.parkedLongPolls(), "a publish alone does not answer a refresh");
      round.get().complete(next);
      Uds.Resp r = Uds.read(ch);
      assertEquals(200, r.status());
      assertEquals("{\"revision\":2}", r.body());
    }
    assertEquals(1, asked.get());
    assertTrue(
        metrics.scrape().contains("bao_injector_refresh_requests_total{outcome=\"ok\"} 1"),
        metrics.scrape());
  }

  @Test
  void aRoundThatCannotReachOpenBaoIs503WithTheRevisionServed() throws Exception {
    round.set(CompletableFuture.failedFuture(new IllegalStateException("connection refused")));
    start(List.of(), null);
    Uds.Resp r = post(sock(), "/v1/refresh");
    assertEquals(503, r.status());
    assertEquals(
        "{\"error\":\"the refresh could not reach OpenBao: connection refused\",\"status\":503,"
            + "\"revision\":1}",
        r.body());
    assertTrue(metrics.scrape().contains("refresh_requests_total{outcome=\"failed\"} 1"));
  }

  @Test
  void aRoundPastTheWaitIs503WithTheUnchangedRevision() throws Exception {
    round.set(new CompletableFuture<>());
    start(List.of(), null);
    long t0 = System.nanoTime();
    Uds.Resp r = post(sock(), "/v1/refresh?wait=300ms");
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals(503, r.status());
    assertEquals(1, JSON.readTree(r.body()).get("revision").asLong());
    assertTrue(
        JSON.readTree(r.body())
            .get("error")
            .asText()
            .startsWith("the refresh did not finish within 300 ms"),
        r.body());
    assertTrue(ms >= 300 && ms < 10_000, "answered after " + ms + " ms");
    assertEquals(0, server.parkedLongPolls());
    assertTrue(metrics.scrape().contains("refresh_requests_total{outcome=\"timeout\"} 1"));
  }

  @Test
  void parkedRefreshesHoldNoThread() throws Exception {
    round.set(new CompletableFuture<>());
    start(List.of(), null);
    int n = 200; // beyond the 16 Jetty threads, within the 256 connections one uid may hold
    List<SocketChannel> parked = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        parked.add(postOpen(sock(), "/v1/refresh?wait=60s"));
      }
      awaitParked(n);
      assertEquals(200, Uds.get(sock(), "/v1/health").status(), "a GET answers meanwhile");
      round.get().complete(hub.current());
      for (SocketChannel ch : parked) {
        assertEquals("{\"revision\":1}", Uds.read(ch).body());
      }
    } finally {
      for (SocketChannel ch : parked) {
        ch.close();
      }
    }
  }

  @Test
  void methodsBodiesAndBadWaits() throws Exception {
    round.set(CompletableFuture.completedFuture(hub.current()));
    start(List.of(), null);
    Uds.Resp r = Uds.get(sock(), "/v1/refresh");
    assertEquals(405, r.status());
    assertTrue(r.head().contains("Allow: POST"), r.head());
    assertEquals("only POST is allowed", JSON.readTree(r.body()).get("error").asText());
    r = post(sock(), "/v1/env");
    assertEquals(405, r.status());
    assertTrue(r.head().contains("Allow: GET"), r.head());
    assertEquals("only GET is allowed", JSON.readTree(r.body()).get("error").asText());
    r =
        Uds.raw(
            sock(),
            "POST /v1/refresh HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
    assertEquals(413, r.status());
    r = post(sock(), "/v1/refresh?wait=soon");
    assertEquals(400, r.status());
    assertEquals(0, asked.get(), "no round for a refused request");
    assertEquals(200, post(sock(), "/v1/refresh").status());
  }

  @Test
  void hostileWaitsAndAChunkedBodyStartNoRound() throws Exception {
    round.set(CompletableFuture.completedFuture(hub.current()));
    start(List.of(), null);
    for (String w : List.of("-5s", "1e9", "%D9%A3s", "5s%00", "--1s", "0x10", "1.5s", "%20")) {
      Uds.Resp r = post(sock(), "/v1/refresh?wait=" + w);
      assertEquals(400, r.status(), w + ": " + r.body());
      assertFalse(r.body().contains("\n"), r.body());
    }
    Uds.Resp r =
        Uds.raw(
            sock(),
            "POST /v1/refresh HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
    assertEquals(413, r.status());
    assertEquals(0, asked.get(), "no round for a refused request");
    // a huge wait is capped, not an overflow: the finished round answers at once
    assertEquals(200, post(sock(), "/v1/refresh?wait=99999999999999999999999h").status());
    assertEquals(200, post(sock(), "/v1/refresh?wait=-0").status());
    assertEquals(2, asked.get());
  }

  @Test
  void aDeniedUidGets403AndNoRound() throws Exception {
    round.set(CompletableFuture.completedFuture(hub.current()));
    start(List.of("65534"), null);
    Uds.Resp r = post(sock(), "/v1/refresh");
    assertEquals(403, r.status());
    assertEquals(0, asked.get());
  }

  @Test
  void theProbeListenerHasNoRefresh() throws Exception {
    round.set(CompletableFuture.completedFuture(hub.current()));
    start(List.of(), new OutputSettings.Http(new java.net.InetSocketAddress("127.0.0.1", 0)));
    java.net.http.HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:" + server.httpPort() + "/v1/refresh"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(404, r.statusCode());
    assertEquals(0, asked.get());
    assertFalse(r.body().contains("revision"));
  }
}
