package io.baoinjector.sidecar.output.socket;

import static io.baoinjector.sidecar.output.socket.Snapshots.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.snapshot.LeaseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SocketServerTest extends SocketServerFixture {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CANARY = "canary-Zq8v-S3CRET";

  SocketServerTest() {
    super("inst-1");
  }

  SocketServer start(int mode, List<String> allow, boolean filesReady) throws IOException {
    return start(mode, allow, () -> filesReady, null);
  }

  SocketServer start(
      int mode, List<String> allow, java.util.function.BooleanSupplier files, OutputSettings.Http h)
      throws IOException {
    metrics.snapshotSource(hub::current);
    server(mode, allow, h, files, SocketServer.Limits.DEFAULTS).start();
    return server;
  }

  void publishReady() {
    hub.publish(
        entries("DB_USER", "app", "DB_PASSWORD", CANARY),
        entries("spring.datasource.password", CANARY),
        Set.of(),
        false,
        true);
  }

  static JsonNode json(Uds.Resp r) throws IOException {
    return JSON.readTree(r.body());
  }

  @Test
  void healthIsStartingUntilReadyAndFilesRendered() throws Exception {
    AtomicBoolean files = new AtomicBoolean(false);
    start(0600, List.of(), files::get, null);
    Uds.Resp r = Uds.get(sock(), "/v1/health");
    assertEquals(503, r.status());
    assertEquals("starting", json(r).get("status").asText());

    hub.publish(entries("A", "1"), Map.of(), Set.of("B"), false, true);
    r = Uds.get(sock(), "/v1/health");
    assertEquals(503, r.status(), "files not rendered yet");
    assertEquals("[\"B\"]", json(r).get("unresolved").toString());

    files.set(true);
    r = Uds.get(sock(), "/v1/health");
    assertEquals(200, r.status());
    assertEquals(
        "{\"status\":\"ready\",\"instance\":\"inst-1\",\"revision\":1,\"stale\":false,"
            + "\"unresolved\":[\"B\"],\"leases\":[]}",
        r.body());
    assertTrue(r.head().contains("Content-Type: application/json"), r.head());

    // each live lease: path and expiry, never its id (LeaseStatus has none to leak)
    java.time.Instant now = java.time.Instant.now();
    hub.leases(
        List.of(
            new LeaseStatus(
                "database/creds/app", now.plusSeconds(100), now.plusSeconds(100), false),
            new LeaseStatus("database/creds/app", now.plusSeconds(20), now.plusSeconds(20), true)));
    JsonNode leases = json(Uds.get(sock(), "/v1/health")).get("leases");
    assertEquals(2, leases.size(), leases.toString());
    assertEquals("database/creds/app", leases.get(0).get("path").asText());
    assertTrue(leases.get(0).get("expires_in_s").asLong() >= 98, leases.toString());
    assertTrue(leases.get(0).get("max_expires_in_s").asLong() >= 98, leases.toString());
    assertFalse(leases.get(0).get("replaced").asBoolean());
    assertTrue(leases.get(1).get("replaced").asBoolean());
    metrics.leaseSource(hub::leases);
    String scrape = Uds.get(sock(), "/metrics").body();
    assertTrue(
        scrape.contains(
            "bao_injector_lease_expiry_seconds{path=\"database/creds/app\",replaced=\"true\"} "),
        scrape);

    hub.publish(entries("A", "1"), Map.of(), Set.of(), true, true);
    assertTrue(json(Uds.get(sock(), "/v1/health")).get("stale").asBoolean());
  }

  @Test
  void envAndSecretsAnswerPerContract() throws Exception {
    start(0600, List.of(), true);
    publishReady();
    Uds.Resp r = Uds.get(sock(), "/v1/env");
    assertEquals(200, r.status());
    assertEquals(
        "{\"instance\":\"inst-1\",\"revision\":1,\"values\":{\"DB_USER\":\"app\",\"DB_PASSWORD\":\""
            + CANARY
            + "\"},\"properties\":{\"spring.datasource.password\":\""
            + CANARY
            + "\"}}",
        r.body());
    assertTrue(r.head().contains("Cache-Control: no-store"), r.head());

    r = Uds.get(sock(), "/v1/secrets/DB_PASSWORD");
    assertEquals(200, r.status());
    assertEquals(
        "{\"name\":\"DB_PASSWORD\",\"value\":\"" + CANARY + "\",\"version\":3,\"revision\":1}",
        r.body());

    r = Uds.get(sock(), "/v1/secrets/NOPE");
    assertEquals(404, r.status());
    assertEquals(404, json(r).get("status").asInt());
  }

  @Test
  void curlReadsASecret() throws Exception {
    start(0600, List.of(), true);
    publishReady();
    String out =
        run(
            List.of(
                "curl", "-sS", "--unix-socket", sock().toString(), "http://x/v1/secrets/DB_USER"));
    assertEquals("app", JSON.readTree(out).get("value").asText());
  }

  @Test
  void errorsAreJson() throws Exception {
    start(0600, List.of(), true);
    Uds.Resp r = Uds.get(sock(), "/nope");
    assertEquals(404, r.status());
    assertEquals("application/json", contentType(r));
    r = Uds.raw(sock(), "POST /v1/env HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertEquals(405, r.status());
    assertTrue(r.head().contains("Allow: GET"), r.head());
    assertEquals(405, json(r).get("status").asInt());
    r =
        Uds.raw(
            sock(),
            "GET /v1/env HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    assertEquals(413, r.status());
    r = Uds.get(sock(), "/v1/env?after=abc");
    assertEquals(400, r.status());
    assertEquals("after: expected a revision number (0 or more)", json(r).get("error").asText());
    r = Uds.get(sock(), "/v1/env?after=0&wait=soon");
    assertEquals(400, r.status());
  }

  static String contentType(Uds.Resp r) {
    for (String line : r.head().split("\r\n")) {
      if (line.toLowerCase().startsWith("content-type:")) {
        return line.substring(13).trim();
      }
    }
    return null;
  }

  @Test
  void metricsCountRequestsAndShowRevision() throws Exception {
    start(0600, List.of(), true);
    publishReady();
    Uds.get(sock(), "/v1/secrets/DB_USER");
    Uds.get(sock(), "/v1/secrets/NOPE");
    Uds.Resp r = Uds.get(sock(), "/metrics");
    assertEquals(200, r.status());
    assertTrue(contentType(r).startsWith("text/plain; version=0.0.4"), r.head());
    String m = r.body();
    assertTrue(
        m.contains(
            "bao_injector_socket_requests_total{endpoint=\"/v1/secrets/{name}\",status=\"200\"} 1"),
        m);
    assertTrue(
        m.contains(
            "bao_injector_socket_requests_total{endpoint=\"/v1/secrets/{name}\",status=\"404\"} 1"),
        m);
    assertTrue(m.contains("bao_injector_revision 1.0\n"), m);
    assertFalse(m.contains(CANARY));
    assertFalse(m.contains("DB_USER"), "no secret names in labels");
  }

  @Test
  void longPollWakesOnPublish() throws Exception {
    start(0600, List.of(), true);
    publishReady();
    CompletableFuture<Uds.Resp> f = getAsync("/v1/env?after=1&instance=inst-1&wait=5m");
    awaitParked(1);
    assertFalse(f.isDone());
    hub.publish(entries("DB_USER", "app2"), Map.of(), Set.of(), false, true);
    Uds.Resp r = f.get(60, TimeUnit.SECONDS);
    assertEquals(200, r.status());
    assertEquals(2, json(r).get("revision").asLong());
    assertEquals("app2", json(r).get("values").get("DB_USER").asText());
    assertEquals(0, server.parkedLongPolls());
  }

  @Test
  void longPollTimesOutWithTheSameRevision() throws Exception {
    start(0600, List.of(), true);
    publishReady();
    Uds.Resp r = Uds.get(sock(), "/v1/env?after=1&instance=inst-1&wait=300ms");
    assertEquals(200, r.status());
    assertEquals(1, json(r).get("revision").asLong());
    assertEquals(0, server.parkedLongPolls());
  }

  @Test
  void longPollAnswersAtOnceForAnotherInstanceOrAFutureRevision() throws Exception {
    start(0600, List.of(), true);
    publishReady();
    // wait=5m: if these parked, the @Timeout would fail the test.
    Uds.Resp r = Uds.get(sock(), "/v1/env?after=1&instance=other&wait=5m");
    assertEquals("inst-1", json(r).get("instance").asText());
    r = Uds.get(sock(), "/v1/env?after=7&instance=inst-1&wait=5m");
    assertEquals(1, json(r).get("revision").asLong());
    r = Uds.get(sock(), "/v1/env?after=0&instance=inst-1&wait=5m");
    assertEquals(1, json(r).get("revision").asLong());
  }

  @Test
  void longPollWaiterOfADisconnectedClientDoesNotLinger() throws Exception {
    start(0600, List.of(), true);
    publishReady();
    try (var ch = Uds.open(sock())) {
      ch.write(
          java.nio.ByteBuffer.wrap(
              "GET /v1/env?after=1&wait=5m HTTP/1.1\r\nHost: x\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII)));
      awaitParked(1);
    }
    // The client is gone; the next publish answers into a closed connection and frees the waiter.
    hub.publish(entries("DB_USER", "x"), Map.of(), Set.of(), false, true);
    awaitParked(0);
    assertEquals(200, Uds.get(sock(), "/v1/health").status());
  }

  @Test
  void disallowedUidGets403AndAnAuditLineWithoutValues() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      start(0600, List.of("65534"), true);
      publishReady();
      Uds.Resp r = Uds.get(sock(), "/v1/secrets/DB_PASSWORD");
      assertEquals(403, r.status());
      assertFalse(r.body().contains(CANARY));
      assertEquals(403, Uds.get(sock(), "/v1/env").status());
    } finally {
      System.setErr(old);
    }
    String log = err.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("denied peer=root uid=0"), log);
    assertFalse(log.contains(CANARY), log);
  }

  @Test
  void allowedPeerIsAuditedByNameNeverValue() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      start(0600, List.of("root"), true);
      publishReady();
      assertEquals(200, Uds.get(sock(), "/v1/secrets/DB_PASSWORD").status());
      assertEquals(200, Uds.get(sock(), "/v1/env").status());
    } finally {
      System.setErr(old);
    }
    String log = err.toString(StandardCharsets.UTF_8);
    assertTrue(
        log.contains(
            "read peer=root uid=0 gid=root pid=unavailable endpoint=/v1/secrets/{name} revision=1"
                + " names=[DB_PASSWORD]"),
        log);
    assertTrue(log.contains("names=[DB_USER, DB_PASSWORD, spring.datasource.password]"), log);
    assertFalse(log.contains(CANARY), log);
  }

  @Test
  void unknownAllowedUserIsAStartupError() {
    IOException e =
        assertThrows(IOException.class, () -> start(0600, List.of("no-such-user-x"), true));
    assertEquals(
        "outputs.socket.allow-uids: no user 'no-such-user-x' in /etc/passwd; use a numeric uid or"
            + " an existing user name",
        e.getMessage());
  }

  @Test
  void aRealSecondUserIsDenied() throws Exception {
    Files.setPosixFilePermissions(dir, io.baoinjector.sidecar.output.Modes.permissions(0755));
    start(0666, List.of("0"), true);
    publishReady();
    String out =
        run(
            List.of(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "curl",
                "-sS",
                "--unix-socket",
                sock().toString(),
                "-w",
                "\n%{http_code}",
                "http://x/v1/secrets/DB_PASSWORD"));
    assertTrue(out.endsWith("\n403"), out);
    assertFalse(out.contains(CANARY), out);
    // and root (allowed) still reads it
    assertEquals(200, Uds.get(sock(), "/v1/secrets/DB_PASSWORD").status());
  }

  @Test
  void socketModeIsExactAndNeverLooserDuringStartup() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    StringBuilder violations = new StringBuilder();
    Thread watcher =
        new Thread(
            () -> {
              while (!stop.get()) {
                try {
                  int m = mode(sock());
                  if ((m & ~0660) != 0) {
                    violations.append(Integer.toOctalString(m)).append(' ');
                  }
                } catch (IOException e) {
                  // not there yet
                }
                try (var s = Files.list(dir)) {
                  s.filter(p -> !p.equals(sock()))
                      .forEach(
                          p -> {
                            try {
                              if ((mode(p) & 077) != 0) {
                                violations.append(p.getFileName()).append(' ');
                              }
                            } catch (IOException e) {
                              // gone
                            }
                          });
                } catch (IOException | java.io.UncheckedIOException e) {
                  // listing raced with a removal
                }
              }
            });
    watcher.start();
    try {
      for (int i = 0; i < 5; i++) {
        start(0660, List.of(), true);
        assertEquals(0660, mode(sock()));
        server.stop();
        assertFalse(Files.exists(sock(), LinkOption.NOFOLLOW_LINKS), "socket removed at stop");
      }
    } finally {
      stop.set(true);
      watcher.join();
    }
    assertEquals("", violations.toString());
    server = null;
  }

  static int mode(Path p) throws IOException {
    return io.baoinjector.sidecar.output.Modes.mode(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void staleSocketIsReplacedRegularFileAndLiveSocketAreRefused() throws Exception {
    ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    stale.bind(UnixDomainSocketAddress.of(sock()));
    stale.close(); // the JDK leaves the file: like a crashed run
    assertTrue(Files.exists(sock(), LinkOption.NOFOLLOW_LINKS));
    start(0600, List.of(), true);
    assertEquals(503, Uds.get(sock(), "/v1/health").status());

    // A second server on the same path: the socket answers, so it is refused.
    SocketServer second =
        new SocketServer(
            new OutputSettings.Socket(sock(), 0600, List.of(), null, null),
            null,
            hub,
            metrics,
            () -> true);
    IOException e = assertThrows(IOException.class, second::start);
    assertTrue(e.getMessage().contains("is in use by a running process"), e.getMessage());
    assertEquals(503, Uds.get(sock(), "/v1/health").status(), "first server untouched");
    server.stop();
    server = null;

    Files.writeString(sock(), "not a socket");
    e = assertThrows(IOException.class, () -> start(0600, List.of(), true));
    assertEquals(
        "outputs.socket.path: "
            + sock()
            + " exists and is not a socket; refusing to replace it (remove it or choose another"
            + " path)",
        e.getMessage());
    assertEquals("not a socket", Files.readString(sock()));
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no staging directory left behind");
    }
    server = null;
  }

  @Test
  void tcpListenerServesOnlyHealthAndMetrics() throws Exception {
    start(
        0600,
        List.of(),
        () -> true,
        new OutputSettings.Http(new InetSocketAddress("127.0.0.1", 0)));
    publishReady();
    HttpClient c = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + server.httpPort();
    assertEquals(
        200, c.send(req(base + "/v1/health"), HttpResponse.BodyHandlers.ofString()).statusCode());
    HttpResponse<String> m = c.send(req(base + "/metrics"), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, m.statusCode());
    assertTrue(m.body().contains("bao_injector_revision 1"));
    for (String p : List.of("/v1/env", "/v1/secrets/DB_PASSWORD", "/v1/env?after=0")) {
      HttpResponse<String> r = c.send(req(base + p), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, r.statusCode(), p);
      assertFalse(r.body().contains(CANARY));
    }
  }

  @Test
  void httpOnlyServerWorksWithoutASocket() throws Exception {
    server =
        new SocketServer(
            null,
            new OutputSettings.Http(new InetSocketAddress("127.0.0.1", 0)),
            hub,
            metrics,
            () -> true);
    server.start();
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                req("http://127.0.0.1:" + server.httpPort() + "/v1/health"),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(503, r.statusCode());
    assertNotEquals(-1, server.httpPort());
  }

  @Test
  void stopAnswersParkedLongPolls() throws Exception {
    start(0600, List.of(), true);
    publishReady();
    CompletableFuture<Uds.Resp> f = getAsync("/v1/env?after=1&wait=5m");
    awaitParked(1);
    server.stop();
    Uds.Resp r = f.get(60, TimeUnit.SECONDS);
    assertEquals(200, r.status());
    assertEquals(1, json(r).get("revision").asLong());
    server = null;
  }

  static HttpRequest req(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
  }

  static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "exit code of " + cmd + ": " + out);
    return out;
  }
}
