package io.baoinjector.sidecar.openbao;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.shared.Backoff;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.config.TestSettings;
import io.baoinjector.testkit.OpenBao;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class OpenBaoClientTest {
  private static final SecretValue TOKEN = SecretValue.of("s.test-token-123");
  private final MockWebServer server = new MockWebServer();
  private final RecordingSleeper sleeper = new RecordingSleeper();
  private final List<RequestObserver.Event> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  /** Backoff with jitter pinned to 0: delays are exactly half of 1s, 2s, 4s, ... */
  private static Backoff fixedBackoff() {
    return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.0);
  }

  private OpenBaoClient.Builder builder(String namespace, URI... addresses) {
    return OpenBaoClient.builder(TestSettings.openbao(List.of(addresses), namespace, null, false))
        .sleeper(sleeper)
        .backoff(OpenBaoClientTest::fixedBackoff)
        .observer(events::add);
  }

  private OpenBaoClient client() {
    return builder("", server.url("/").uri()).build();
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }

  @Test
  void sendsPathTokenAndRequestHeaders() throws Exception {
    server.enqueue(json(200, "{\"data\":{\"data\":{\"k\":\"v\"}}}"));
    JsonNode r = client().get("secret/data/app/db", TOKEN);
    assertEquals("v", r.path("data").path("data").path("k").asText());
    RecordedRequest req = server.takeRequest();
    assertEquals("GET", req.getMethod());
    assertEquals("/v1/secret/data/app/db", req.getPath());
    assertEquals("true", req.getHeader("X-Vault-Request"));
    assertEquals(TOKEN.reveal(), req.getHeader("X-Vault-Token"));
    assertNull(req.getHeader("X-Vault-Namespace"));
    assertEquals(List.of(), sleeper.delays);
  }

  @Test
  void sendsNamespaceWhenSet() throws Exception {
    server.enqueue(json(200, "{}"));
    builder("team-a/", server.url("/").uri()).build().get("sys/mounts", TOKEN);
    assertEquals("team-a/", server.takeRequest().getHeader("X-Vault-Namespace"));
  }

  @Test
  void loginSendsNoTokenAndPostsJson() throws Exception {
    server.enqueue(json(200, "{\"auth\":{\"client_token\":\"x\"}}"));
    client().login("auth/approle/login", Map.of("role_id", "r"));
    RecordedRequest req = server.takeRequest();
    assertEquals("POST", req.getMethod());
    assertEquals("/v1/auth/approle/login", req.getPath());
    assertNull(req.getHeader("X-Vault-Token"));
    assertEquals("{\"role_id\":\"r\"}", req.getBody().readUtf8());
  }

  @Test
  void noContentIsNull() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(204));
    assertNull(client().put("sys/policies/acl/x", Map.of(), TOKEN));
    assertEquals("PUT", server.takeRequest().getMethod());
  }

  @Test
  void queryStringIsKeptAndLeftOutOfTheLabel() throws Exception {
    server.enqueue(json(200, "{\"sealed\":false}"));
    client().health();
    RecordedRequest req = server.takeRequest();
    assertTrue(req.getPath().startsWith("/v1/sys/health?standbyok=true"), req.getPath());
    assertEquals("sys/health", events.get(0).path());
  }

  @Test
  void malformedJsonIsBadResponseWithoutTheBody() {
    server.enqueue(json(200, "{\"data\": {\"password\": \"CANARY-malformed\""));
    BadResponseException e =
        assertThrows(BadResponseException.class, () -> client().get("secret/data/x", TOKEN));
    assertTrue(e.getMessage().contains("GET secret/data/x"), e.getMessage());
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    assertFalse(e.getMessage().contains("CANARY"), e.getMessage());
    assertEquals(1, server.getRequestCount(), "a malformed body is not retried");
  }

  @Test
  void nonObjectJsonIsBadResponse() {
    server.enqueue(json(200, "[1,2]"));
    assertThrows(BadResponseException.class, () -> client().get("secret/data/x", TOKEN));
  }

  @Test
  void retryAfterSecondsIsAFloor() throws Exception {
    server.enqueue(json(429, "{\"errors\":[\"rate limited\"]}").setHeader("Retry-After", "7"));
    server.enqueue(json(200, "{\"ok\":true}"));
    assertTrue(client().get("secret/data/x", TOKEN).path("ok").asBoolean());
    assertEquals(List.of(Duration.ofSeconds(7)), sleeper.delays);
    assertEquals(2, server.getRequestCount());
  }

  @Test
  void retryAfterShorterThanBackoffDoesNotShortenIt() throws Exception {
    server.enqueue(json(429, "{}").setHeader("Retry-After", "0"));
    server.enqueue(json(200, "{}"));
    client().get("secret/data/x", TOKEN);
    assertEquals(List.of(fixedBackoff().next()), sleeper.delays);
  }

  @Test
  void retryAfterHttpDate() throws Exception {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.ofInstant(now.plusSeconds(12), ZoneOffset.UTC));
    server.enqueue(json(429, "{}").setHeader("Retry-After", date));
    server.enqueue(json(200, "{}"));
    builder("", server.url("/").uri())
        .clock(Clock.fixed(now, ZoneOffset.UTC))
        .build()
        .get("secret/data/x", TOKEN);
    assertEquals(List.of(Duration.ofSeconds(12)), sleeper.delays);
  }

  @Test
  void tooManyRequestsWithoutRetryAfterUsesBackoff() throws Exception {
    server.enqueue(json(429, "{}"));
    server.enqueue(json(429, "{}"));
    server.enqueue(json(200, "{}"));
    client().get("secret/data/x", TOKEN);
    Backoff expected = fixedBackoff();
    assertEquals(List.of(expected.next(), expected.next()), sleeper.delays);
    assertEquals(Duration.ofMillis(500), sleeper.delays.get(0));
    assertEquals(Duration.ofSeconds(1), sleeper.delays.get(1));
  }

  @Test
  void serverErrorThenSuccess() throws Exception {
    server.enqueue(json(500, "{\"errors\":[\"internal error\"]}"));
    server.enqueue(json(200, "{\"data\":{}}"));
    assertNotNull(client().get("secret/data/x", TOKEN));
    assertEquals(2, server.getRequestCount());
    assertEquals(1, sleeper.delays.size());
    assertEquals(
        List.of(RequestObserver.Outcome.RETRY, RequestObserver.Outcome.SUCCESS),
        events.stream().map(RequestObserver.Event::outcome).toList());
  }

  @Test
  void retriesAreBoundedThenThrow() {
    for (int i = 0; i < 5; i++) {
      server.enqueue(json(502, "{\"errors\":[\"bad gateway\"]}"));
    }
    UnavailableException e =
        assertThrows(
            UnavailableException.class,
            () -> builder("", server.url("/").uri()).maxAttempts(3).build().get("a/b", TOKEN));
    assertEquals(3, server.getRequestCount());
    assertEquals(502, e.status());
    assertTrue(e.getMessage().contains("bad gateway"), e.getMessage());
    Backoff expected = fixedBackoff();
    assertEquals(List.of(expected.next(), expected.next()), sleeper.delays);
  }

  @Test
  void notImplementedIsNotRetried() {
    server.enqueue(json(501, "{\"errors\":[\"not initialized\"]}"));
    OpenBaoException e = assertThrows(OpenBaoException.class, () -> client().get("a", TOKEN));
    assertEquals(501, e.status());
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void errorsBodyBecomesTypedException() {
    server.enqueue(
        json(403, "{\"errors\":[\"1 error occurred:\\n\\t* permission denied\\n\\n\"]}"));
    server.enqueue(json(404, "{\"errors\":[]}"));
    server.enqueue(json(400, "{\"errors\":[\"missing role_id\"]}"));
    OpenBaoClient c = client();
    PermissionDeniedException denied =
        assertThrows(PermissionDeniedException.class, () -> c.get("secret/data/x", TOKEN));
    assertTrue(denied.getMessage().contains("permission denied"), denied.getMessage());
    assertTrue(denied.getMessage().contains("GET secret/data/x: status 403"), denied.getMessage());
    NotFoundException nf =
        assertThrows(NotFoundException.class, () -> c.get("secret/data/y", TOKEN));
    assertNull(nf.body());
    OpenBaoException bad =
        assertThrows(OpenBaoException.class, () -> c.login("auth/approle/login", Map.of()));
    assertEquals(400, bad.status());
    assertEquals(List.of("missing role_id"), bad.errors());
    assertEquals(3, server.getRequestCount(), "4xx are not retried");
    assertFalse(denied.getMessage().contains(TOKEN.reveal()));
  }

  @Test
  void notFoundKeepsKvV2DeletedVersionBody() {
    server.enqueue(
        json(
            404,
            "{\"data\":{\"data\":null,\"metadata\":{\"version\":3,"
                + "\"deletion_time\":\"2026-01-01T00:00:00Z\"}}}"));
    NotFoundException e =
        assertThrows(NotFoundException.class, () -> client().get("secret/data/x", TOKEN));
    assertEquals(3, e.body().path("data").path("metadata").path("version").asInt());
  }

  @Test
  void sealedIsSealedException() {
    for (int i = 0; i < 4; i++) {
      server.enqueue(json(503, "{\"errors\":[\"Vault is sealed\"]}"));
    }
    assertThrows(SealedException.class, () -> client().get("secret/data/x", TOKEN));
    assertEquals(4, server.getRequestCount());
    assertEquals(3, sleeper.delays.size());
  }

  @Test
  void errorStringEchoingTheTokenIsBlanked() {
    server.enqueue(json(400, "{\"errors\":[\"bad token " + TOKEN.reveal() + "\"]}"));
    OpenBaoException e = assertThrows(OpenBaoException.class, () -> client().get("x", TOKEN));
    assertFalse(e.getMessage().contains(TOKEN.reveal()), e.getMessage());
    assertTrue(e.getMessage().contains("bad token ***"), e.getMessage());
  }

  @Test
  void nonJsonErrorBodyIsNotQuoted() {
    server.enqueue(new MockResponse().setResponseCode(400).setBody("<html>CANARY-html</html>"));
    OpenBaoException e = assertThrows(OpenBaoException.class, () -> client().get("x", TOKEN));
    assertFalse(e.getMessage().contains("CANARY"), e.getMessage());
    assertTrue(e.getMessage().contains("non-JSON error body"), e.getMessage());
  }

  @Test
  void standbyRedirectIsFollowedOnce() throws Exception {
    try (MockWebServer active = new MockWebServer()) {
      active.start(InetAddress.getLoopbackAddress(), 0);
      server.enqueue(
          new MockResponse()
              .setResponseCode(307)
              .setHeader("Location", active.url("/v1/secret/data/x").toString()));
      active.enqueue(json(200, "{\"data\":{\"v\":1}}"));
      JsonNode r = client().post("secret/data/x", Map.of("a", "b"), TOKEN);
      assertEquals(1, r.path("data").path("v").asInt());
      RecordedRequest followed = active.takeRequest();
      assertEquals("POST", followed.getMethod());
      assertEquals("/v1/secret/data/x", followed.getPath());
      assertEquals(TOKEN.reveal(), followed.getHeader("X-Vault-Token"));
      assertEquals("true", followed.getHeader("X-Vault-Request"));
      assertEquals("{\"a\":\"b\"}", followed.getBody().readUtf8());
    }
  }

  @Test
  void secondRedirectIsNotFollowed() throws Exception {
    try (MockWebServer second = new MockWebServer();
        MockWebServer third = new MockWebServer()) {
      second.start(InetAddress.getLoopbackAddress(), 0);
      third.start(InetAddress.getLoopbackAddress(), 0);
      server.enqueue(
          new MockResponse()
              .setResponseCode(307)
              .setHeader("Location", second.url("/v1/a").toString()));
      second.enqueue(
          new MockResponse()
              .setResponseCode(307)
              .setHeader("Location", third.url("/v1/a").toString()));
      OpenBaoException e = assertThrows(OpenBaoException.class, () -> client().get("a", TOKEN));
      assertTrue(e.getMessage().contains("redirected more than once"), e.getMessage());
      assertEquals(1, second.getRequestCount());
      assertEquals(0, third.getRequestCount());
      assertEquals(1, server.getRequestCount(), "a redirect loop is not retried");
    }
  }

  @Test
  void redirectFromHttpsToHttpIsRefused(@TempDir Path dir) throws Exception {
    SelfSignedTls tls = SelfSignedTls.create(dir);
    try (MockWebServer https = new MockWebServer()) {
      https.useHttps(tls.serverFactory, false);
      https.start(InetAddress.getLoopbackAddress(), 0);
      https.enqueue(
          new MockResponse()
              .setResponseCode(307)
              .setHeader("Location", server.url("/v1/a").toString()));
      OpenBaoClient c =
          OpenBaoClient.builder(
                  TestSettings.openbao(List.of(https.url("/").uri()), "", tls.pem, false))
              .sleeper(sleeper)
              .build();
      OpenBaoException e = assertThrows(OpenBaoException.class, () -> c.get("a", TOKEN));
      assertTrue(e.getMessage().contains("https to http"), e.getMessage());
      assertEquals(1, https.getRequestCount());
      assertEquals(0, server.getRequestCount(), "the token never goes over plain http");
    }
  }

  @Test
  void customCaIsTrustedAndOthersAreNot(@TempDir Path dir) throws Exception {
    SelfSignedTls tls = SelfSignedTls.create(dir);
    try (MockWebServer https = new MockWebServer()) {
      https.useHttps(tls.serverFactory, false);
      https.start(InetAddress.getLoopbackAddress(), 0);
      https.enqueue(json(200, "{\"ok\":true}"));
      URI addr = https.url("/").uri();
      OpenBaoClient trusting =
          OpenBaoClient.builder(TestSettings.openbao(List.of(addr), "", tls.pem, false)).build();
      assertTrue(trusting.get("a", TOKEN).path("ok").asBoolean());
      https.enqueue(json(200, "{\"ok\":true}"));
      OpenBaoClient skipping =
          OpenBaoClient.builder(TestSettings.openbao(List.of(addr), "", null, true)).build();
      assertTrue(skipping.get("a", TOKEN).path("ok").asBoolean());
      OpenBaoClient jdkRoots =
          OpenBaoClient.builder(TestSettings.openbao(addr)).sleeper(sleeper).maxAttempts(1).build();
      assertThrows(OpenBaoException.class, () -> jdkRoots.get("a", TOKEN));
    }
  }

  @Test
  void unusableCaCertIsOneLineNamingTheKey(@TempDir Path dir) throws Exception {
    Path bad = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "not a certificate");
    URI addr = server.url("/").uri();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new OpenBaoClient(TestSettings.openbao(List.of(addr), "", bad, false)));
    assertTrue(e.getMessage().startsWith("openbao.ca-cert: "), e.getMessage());
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    Path missing = dir.resolve("missing.pem");
    IllegalArgumentException m =
        assertThrows(
            IllegalArgumentException.class,
            () -> new OpenBaoClient(TestSettings.openbao(List.of(addr), "", missing, false)));
    assertTrue(m.getMessage().startsWith("openbao.ca-cert: cannot read "), m.getMessage());
  }

  @Test
  void failsOverToTheNextAddressAndRemembersIt() throws Exception {
    URI dead = URI.create("http://127.0.0.1:" + OpenBao.freePort());
    OpenBaoClient c = builder("", dead, server.url("/").uri()).build();
    server.enqueue(json(200, "{\"n\":1}"));
    server.enqueue(json(200, "{\"n\":2}"));
    assertEquals(1, c.get("a", TOKEN).path("n").asInt());
    assertEquals(server.url("/").uri().getPort(), c.currentAddress().getPort());
    assertEquals(2, c.get("a", TOKEN).path("n").asInt());
    assertEquals(2, server.getRequestCount());
    long connectFailures =
        events.stream()
            .filter(e -> e.outcome() == RequestObserver.Outcome.CONNECTION_FAILURE)
            .count();
    assertEquals(1, connectFailures, "the second call went straight to the working address");
    assertEquals(List.of(), sleeper.delays, "failover does not wait");
  }

  @Test
  void sealedNodeIsSkippedForTheNextAddress() throws Exception {
    try (MockWebServer second = new MockWebServer()) {
      second.start(InetAddress.getLoopbackAddress(), 0);
      server.enqueue(json(503, "{\"errors\":[\"Vault is sealed\"]}"));
      second.enqueue(json(200, "{\"n\":1}"));
      OpenBaoClient c = builder("", server.url("/").uri(), second.url("/").uri()).build();
      assertEquals(1, c.get("a", TOKEN).path("n").asInt());
      assertEquals(second.getPort(), c.currentAddress().getPort());
      assertEquals(List.of(), sleeper.delays);
    }
  }

  @Test
  void allAddressesDownIsUnavailableAfterRetries() throws Exception {
    URI dead = URI.create("http://127.0.0.1:" + OpenBao.freePort());
    OpenBaoClient c = builder("", dead).maxAttempts(2).build();
    UnavailableException e = assertThrows(UnavailableException.class, () -> c.get("a", TOKEN));
    assertEquals(0, e.status());
    assertEquals(1, sleeper.delays.size());
    assertTrue(e.getMessage().contains("GET a"), e.getMessage());
  }

  @Test
  void stalledResponseTimesOutAndIsRetried() throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    server.enqueue(json(200, "{\"ok\":true}"));
    OpenBaoClient c =
        builder("", server.url("/").uri()).readTimeout(Duration.ofMillis(300)).build();
    assertTrue(c.get("a", TOKEN).path("ok").asBoolean());
    assertEquals(1, sleeper.delays.size());
    assertNotNull(server.takeRequest(5, TimeUnit.SECONDS));
  }

  /** Issue 8, defect 12: a node that keeps answering 429 (standby, rate limit) held every call. */
  @Test
  void nodeAnsweringTooManyRequestsIsPassedOverForTheNextAddress() throws Exception {
    try (MockWebServer healthy = new MockWebServer()) {
      healthy.start(InetAddress.getLoopbackAddress(), 0);
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
              return json(429, "{\"errors\":[\"rate limited\"]}").setHeader("Retry-After", "3");
            }
          });
      healthy.enqueue(json(200, "{\"n\":1}"));
      healthy.enqueue(json(200, "{\"n\":2}"));
      OpenBaoClient c = builder("", server.url("/").uri(), healthy.url("/").uri()).build();
      assertEquals(1, c.get("a", TOKEN).path("n").asInt());
      assertEquals(Transport.TOO_MANY_REQUESTS_PER_ADDRESS, server.getRequestCount());
      assertEquals(healthy.getPort(), c.currentAddress().getPort());
      // Retry-After was honoured between the tries on the first address, and only there
      assertEquals(Transport.TOO_MANY_REQUESTS_PER_ADDRESS - 1, sleeper.delays.size());
      sleeper.delays.forEach(d -> assertEquals(Duration.ofSeconds(3), d));
      assertEquals(2, c.get("a", TOKEN).path("n").asInt());
      assertEquals(Transport.TOO_MANY_REQUESTS_PER_ADDRESS, server.getRequestCount());
    }
  }

  /** Calls of one attempt each (the refresher's and token lifecycle's rounds) move on too. */
  @Test
  void tooManyRequestsMovesOnAcrossSingleAttemptCalls() throws Exception {
    try (MockWebServer healthy = new MockWebServer()) {
      healthy.start(InetAddress.getLoopbackAddress(), 0);
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
              return json(429, "{}");
            }
          });
      healthy.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
              return json(200, "{\"ok\":true}");
            }
          });
      OpenBaoClient c =
          builder("", server.url("/").uri(), healthy.url("/").uri()).maxAttempts(1).build();
      int failed = 0;
      for (int i = 0; i < 10; i++) {
        try {
          assertTrue(c.get("a", TOKEN).path("ok").asBoolean());
          break;
        } catch (UnavailableException e) {
          assertEquals(429, e.status());
          failed++;
        }
      }
      assertTrue(failed < Transport.TOO_MANY_REQUESTS_PER_ADDRESS, "failed calls: " + failed);
      assertEquals(healthy.getPort(), c.currentAddress().getPort());
      assertEquals(Transport.TOO_MANY_REQUESTS_PER_ADDRESS, server.getRequestCount());
    }
  }

  /** Every address answering 429: the call still ends, after maxAttempts. */
  @Test
  void tooManyRequestsEverywhereEndsAfterMaxAttempts() throws Exception {
    try (MockWebServer second = new MockWebServer()) {
      second.start(InetAddress.getLoopbackAddress(), 0);
      Dispatcher tooMany =
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
              return json(429, "{}");
            }
          };
      server.setDispatcher(tooMany);
      second.setDispatcher(tooMany);
      OpenBaoClient c = builder("", server.url("/").uri(), second.url("/").uri()).build();
      UnavailableException e = assertThrows(UnavailableException.class, () -> c.get("a", TOKEN));
      assertEquals(429, e.status());
      assertEquals(3, sleeper.delays.size());
      assertTrue(server.getRequestCount() + second.getRequestCount() <= 8);
    }
  }

  /**
   * Issue 8, defect 13: a server that sends its answer a byte at a time never trips the read
   * timeout; the call timeout ends each attempt.
   */
  @Test
  void callTimeoutEndsAnAttemptThatTricklesForever() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            return json(200, "{\"pad\":\"" + "x".repeat(10_000) + "\"}")
                .throttleBody(1, 50, TimeUnit.MILLISECONDS);
          }
        });
    OpenBaoClient c =
        builder("", server.url("/").uri())
            .readTimeout(Duration.ofSeconds(5))
            .callTimeout(Duration.ofMillis(400))
            .maxAttempts(3)
            .build();
    long t0 = System.nanoTime();
    UnavailableException e = assertThrows(UnavailableException.class, () -> c.get("a", TOKEN));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertEquals(0, e.status());
    assertTrue(e.getMessage().contains("timeout"), e.getMessage());
    assertEquals(3, server.getRequestCount());
    assertEquals(2, sleeper.delays.size());
    // three attempts of 400 ms each; without the call timeout one attempt takes ~500 s
    assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "took " + took);
  }

  @Test
  void observerSeesMethodPathStatus() {
    server.enqueue(json(404, "{\"errors\":[]}"));
    assertThrows(NotFoundException.class, () -> client().get("secret/data/app/db", TOKEN));
    RequestObserver.Event e = events.get(0);
    assertEquals("GET", e.method());
    assertEquals("secret/data/app/db", e.path());
    assertEquals(404, e.status());
    assertEquals(RequestObserver.Outcome.ERROR, e.outcome());
    assertInstanceOf(Duration.class, e.duration());
  }
}
