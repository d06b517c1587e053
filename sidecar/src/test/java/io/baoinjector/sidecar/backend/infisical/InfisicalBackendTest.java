package io.baoinjector.sidecar.backend.infisical;

import static io.baoinjector.sidecar.backend.infisical.InfisicalFixture.body;
import static io.baoinjector.sidecar.backend.infisical.InfisicalFixture.error;
import static io.baoinjector.sidecar.backend.infisical.InfisicalFixture.json;
import static io.baoinjector.sidecar.backend.infisical.InfisicalFixture.ref;
import static io.baoinjector.sidecar.backend.infisical.InfisicalFixture.reveal;
import static io.baoinjector.sidecar.backend.infisical.InfisicalFixture.s;
import static io.baoinjector.sidecar.backend.infisical.InfisicalFixture.secrets;
import static io.baoinjector.sidecar.backend.infisical.InfisicalFixture.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import io.baoinjector.sidecar.backend.BackendSecret;
import io.baoinjector.sidecar.config.BackendSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contract tests: the backend against the request and response shapes Infisical documents, replayed
 * by MockWebServer (no Infisical server runs here).
 */
@Timeout(60)
class InfisicalBackendTest {
  @TempDir Path dir;
  private InfisicalFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new InfisicalFixture(dir, "client-id-1", "client-secret-1");
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest r = fx.server.takeRequest(5, TimeUnit.SECONDS);
    assertTrue(r != null, "a request was sent");
    return r;
  }

  private BackendException fails(Kind kind) {
    BackendException e = assertThrows(BackendException.class, () -> read("/app"));
    assertEquals(kind, e.kind(), e.getMessage());
    return e;
  }

  private BackendSecret read(String folder) {
    return fx.backend.read(ref("inf:" + folder + "#DB_PASSWORD"));
  }

  @Test
  void logsInWithTheFilesThenReadsTheFolderWithTheBearerToken() throws Exception {
    fx.server.enqueue(token("tok-1", 7200, 86400));
    fx.server.enqueue(secrets(s("DB_PASSWORD", "pw-1", 3), s("DB_USER", "app", 1)));

    BackendSecret got = read("/app");

    assertEquals(Map.of("DB_PASSWORD", "pw-1", "DB_USER", "app"), reveal(got));
    assertNull(got.text(), "a folder is named values only");
    RecordedRequest login = take();
    assertEquals("POST", login.getMethod());
    assertEquals("/api/v1/auth/universal-auth/login", login.getPath());
    JsonNode creds = body(login);
    assertEquals("client-id-1", creds.path("clientId").asText(), "one trailing newline trimmed");
    assertEquals("client-secret-1", creds.path("clientSecret").asText());
    assertNull(login.getHeader("Authorization"));
    RecordedRequest list = take();
    assertEquals("GET", list.getMethod());
    assertEquals("/api/v4/secrets", list.getRequestUrl().encodedPath());
    assertEquals(InfisicalFixture.PROJECT, list.getRequestUrl().queryParameter("projectId"));
    assertEquals("prod", list.getRequestUrl().queryParameter("environment"));
    assertEquals("/app", list.getRequestUrl().queryParameter("secretPath"));
    assertEquals("true", list.getRequestUrl().queryParameter("viewSecretValue"));
    assertEquals("true", list.getRequestUrl().queryParameter("expandSecretReferences"));
    assertEquals("Bearer tok-1", list.getHeader("Authorization"));
  }

  @Test
  void readsTheRootFolderAndAnotherWithoutLoggingInAgain() throws Exception {
    fx.server.enqueue(token("tok-1", 7200, 86400));
    fx.server.enqueue(secrets(s("A", "1", 1)));
    fx.server.enqueue(secrets(s("B", "2", 1)));

    read("/");
    read("/app/db");

    assertEquals(3, fx.server.getRequestCount());
    take();
    assertEquals("/", take().getRequestUrl().queryParameter("secretPath"));
    RecordedRequest second = take();
    assertEquals("/app/db", second.getRequestUrl().queryParameter("secretPath"));
    assertEquals("Bearer tok-1", second.getHeader("Authorization"));
  }

  @Test
  void renewsPastTwoThirdsOfTheTtlAndUsesTheRenewedToken() throws Exception {
    fx.server.enqueue(token("tok-1", 30, 3600));
    fx.server.enqueue(secrets(s("A", "1", 1)));
    fx.server.enqueue(token("tok-2", 30, 3600));
    fx.server.enqueue(secrets(s("A", "1", 1)));

    read("/app");
    fx.clock.advance(Duration.ofSeconds(21));
    read("/app");

    take();
    take();
    RecordedRequest renew = take();
    assertEquals("/api/v1/auth/token/renew", renew.getPath());
    assertEquals("tok-1", body(renew).path("accessToken").asText());
    assertEquals("Bearer tok-2", take().getHeader("Authorization"));
  }

  @Test
  void logsInAgainWhenRenewalIsRefused() throws Exception {
    fx.server.enqueue(token("tok-1", 30, 3600));
    fx.server.enqueue(secrets(s("A", "1", 1)));
    fx.server.enqueue(error(401, "UnauthorizedError", "Failed to renew access token"));
    fx.server.enqueue(token("tok-3", 30, 3600));
    fx.server.enqueue(secrets(s("A", "1", 1)));

    read("/app");
    fx.clock.advance(Duration.ofSeconds(25));
    read("/app");

    take();
    take();
    assertEquals("/api/v1/auth/token/renew", take().getPath());
    assertEquals("/api/v1/auth/universal-auth/login", take().getPath());
    assertEquals("Bearer tok-3", take().getHeader("Authorization"));
  }

  @Test
  void logsInInsteadOfRenewingNearTheMaxTtlOrPastExpiry() throws Exception {
    fx.server.enqueue(token("tok-1", 30, 30));
    fx.server.enqueue(secrets(s("A", "1", 1)));
    fx.server.enqueue(token("tok-2", 30, 3600));
    fx.server.enqueue(secrets(s("A", "1", 1)));
    fx.server.enqueue(token("tok-3", 30, 3600));
    fx.server.enqueue(secrets(s("A", "1", 1)));

    read("/app");
    fx.clock.advance(Duration.ofSeconds(21)); // renewal due, but the max TTL ends in 9s
    read("/app");
    fx.clock.advance(Duration.ofSeconds(31)); // expired: renewal would be refused
    read("/app");

    for (int i = 0; i < 3; i++) {
      assertEquals("/api/v1/auth/universal-auth/login", take().getPath());
      take();
    }
  }

  @Test
  void a401OnReadLogsInOnceAndRetriesThatReadOnce() throws Exception {
    fx.server.enqueue(token("tok-1", 7200, 86400));
    fx.server.enqueue(error(401, "UnauthorizedError", "Token expired"));
    fx.server.enqueue(token("tok-2", 7200, 86400));
    fx.server.enqueue(secrets(s("A", "fresh", 2)));

    assertEquals(Map.of("A", "fresh"), reveal(read("/app")));

    take();
    assertEquals("Bearer tok-1", take().getHeader("Authorization"));
    assertEquals("/api/v1/auth/universal-auth/login", take().getPath());
    assertEquals("Bearer tok-2", take().getHeader("Authorization"));
  }

  @Test
  void a401AfterAFreshLoginIsADenialAndNoThirdTry() {
    fx.server.enqueue(token("tok-1", 7200, 86400));
    fx.server.enqueue(error(401, "UnauthorizedError", "Token expired"));
    fx.server.enqueue(token("tok-2", 7200, 86400));
    fx.server.enqueue(error(401, "UnauthorizedError", "Token revoked"));

    BackendException e = fails(Kind.DENIED);

    assertTrue(e.getMessage().contains("401: Token revoked"), e.getMessage());
    assertEquals(4, fx.server.getRequestCount());
  }

  @Test
  void theVersionFollowsSecretVersionsNeverValuesNorOrder() {
    fx.server.enqueue(token("tok-1", 7200, 86400));
    fx.server.enqueue(secrets(s("A", "1", 1), s("B", "2", 4)));
    fx.server.enqueue(secrets(s("B", "other", 4), s("A", "values", 1)));
    fx.server.enqueue(secrets(s("A", "1", 2), s("B", "2", 4)));
    fx.server.enqueue(secrets(s("A", "1", 2), s("B", "2", 4), s("C", "3", 1)));

    String v1 = read("/app").version();
    String same = read("/app").version();
    String bumped = read("/app").version();
    String added = read("/app").version();

    assertTrue(v1.startsWith("sha256:"), v1);
    assertEquals(v1, same, "same (name, version) pairs in another order: same version");
    assertNotEquals(v1, bumped, "one secret's new version changes the folder's");
    assertNotEquals(bumped, added, "a new secret changes it");
    assertNull(fx.backend.currentVersion(ref("inf:/app#A")), "no cheaper check than the read");
  }

  @Test
  void a403IsDeniedWithInfisicalsMessage() {
    fx.server.enqueue(token("tok-1", 7200, 86400));
    fx.server.enqueue(
        error(403, "PermissionDenied", "You are not allowed to readValue on secrets"));

    BackendException e = fails(Kind.DENIED);

    assertEquals(
        "infisical backend inf: folder /app of environment prod: Infisical answered 403:"
            + " You are not allowed to readValue on secrets",
        e.getMessage());
  }

  @Test
  void a404NamesWhatIsMissing() {
    fx.server.enqueue(token("tok-1", 7200, 86400));
    fx.server.enqueue(
        error(404, "NotFound", "Project with ID '6f1e2a3b-project' not found during secret read"));

    BackendException e = fails(Kind.NOT_FOUND);

    assertTrue(
        e.getMessage().contains("Project with ID '6f1e2a3b-project' not found"), e.getMessage());
  }

  @Test
  void anEmptyListIsAMissingFolderOrEnvironment() {
    // Infisical answers a folder or environment that does not exist with 200 and no secrets
    fx.server.enqueue(token("tok-1", 7200, 86400));
    fx.server.enqueue(json(200, "{\"secrets\":[],\"imports\":[]}"));

    BackendException e = fails(Kind.NOT_FOUND);

    assertEquals(
        "infisical backend inf: folder /app of environment prod: no secrets (the folder or"
            + " environment does not exist in project 6f1e2a3b-project, or the folder is empty)",
        e.getMessage());
  }

  @Test
  void rateLimitsAndServerErrorsAreUnavailable() {
    fx.server.enqueue(token("tok-1", 7200, 86400));
    fx.server.enqueue(
        error(429, "RateLimitExceeded", "Rate limit exceeded. Please try again in 1 minute")
            .setHeader("Retry-After", "60"));
    fx.server.enqueue(error(500, "InternalServerError", "Something went wrong"));
    fx.server.enqueue(new MockResponse().setResponseCode(502).setBody("<html>bad gateway</html>"));

    assertTrue(fails(Kind.UNAVAILABLE).getMessage().contains("429: Rate limit exceeded"));
    assertTrue(fails(Kind.UNAVAILABLE).getMessage().contains("500: Something went wrong"));
    assertTrue(fails(Kind.UNAVAILABLE).getMessage().endsWith("Infisical answered 502"));
    assertEquals(4, fx.server.getRequestCount(), "no retries of its own");
  }

  @Test
  void aBadRequestIsInvalid() {
    fx.server.enqueue(token("tok-1", 7200, 86400));
    fx.server.enqueue(error(400, "BadRequest", "Missing project id or environment"));

    assertTrue(fails(Kind.INVALID).getMessage().contains("400: Missing project id or environment"));
  }

  @Test
  void aMalformedBodyIsUnavailable() {
    fx.server.enqueue(token("tok-1", 7200, 86400));
    fx.server.enqueue(json(200, "{\"secrets\":[{\"secretKey\":\"A\",\"secretValue\":\"x"));
    fx.server.enqueue(json(200, "{\"imports\":[]}"));
    fx.server.enqueue(json(200, "{\"secrets\":[{\"secretKey\":\"A\"}]}"));

    assertTrue(fails(Kind.UNAVAILABLE).getMessage().endsWith("a body that is not JSON"));
    assertTrue(fails(Kind.UNAVAILABLE).getMessage().endsWith("the answer has no secrets list"));
    assertTrue(
        fails(Kind.UNAVAILABLE).getMessage().endsWith("lacks secretKey, secretValue or version"));
  }

  @Test
  void aHiddenValueIsADenialNamingTheSecret() {
    fx.server.enqueue(token("tok-1", 7200, 86400));
    fx.server.enqueue(
        json(
            200,
            "{\"secrets\":[{\"secretKey\":\"A\",\"secretValue\":\"<hidden-by-infisical>\","
                + "\"version\":1,\"type\":\"shared\",\"secretValueHidden\":true}]}"));

    assertTrue(fails(Kind.DENIED).getMessage().contains("may list A but not read its value"));
  }

  @Test
  void aRefusedLoginIsDenied() {
    fx.server.enqueue(error(401, "UnauthorizedError", "Invalid credentials"));

    BackendException e = fails(Kind.DENIED);

    assertEquals(
        "infisical backend inf: universal-auth login: Infisical answered 401: Invalid credentials",
        e.getMessage());
    assertEquals(1, fx.server.getRequestCount(), "no read without a token");
  }

  @Test
  void aMissingOrEmptyCredentialFileIsInvalidAndNamesTheFile() throws Exception {
    Files.delete(fx.clientSecretFile);
    BackendException missing = fails(Kind.INVALID);
    assertEquals(
        "backends.inf.client-secret-file: "
            + fx.clientSecretFile
            + ": cannot read it (NoSuchFileException)",
        missing.getMessage());

    Files.writeString(fx.clientIdFile, "\n");
    BackendException empty = fails(Kind.INVALID);
    assertEquals(
        "backends.inf.client-id-file: " + fx.clientIdFile + ": the file is empty",
        empty.getMessage());

    Files.writeString(fx.clientIdFile, "x".repeat(4097));
    assertEquals(
        "backends.inf.client-id-file: " + fx.clientIdFile + ": larger than 4 KiB, not a credential",
        fails(Kind.INVALID).getMessage());
    assertEquals(0, fx.server.getRequestCount());
  }

  @Test
  void anUnreachableInfisicalIsUnavailable() throws Exception {
    fx.server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));

    BackendException e = fails(Kind.UNAVAILABLE);

    assertTrue(
        e.getMessage()
            .startsWith("infisical backend inf: universal-auth login: Infisical at http://"),
        e.getMessage());
    assertTrue(e.getMessage().contains(" unreachable ("), e.getMessage());
  }

  @Test
  void settingsAreCheckedWhenOpened() {
    BackendSettings.Infisical s = fx.settings();
    BackendException e =
        assertThrows(
            BackendException.class,
            () ->
                new InfisicalFactory()
                    .open(
                        "inf",
                        new BackendSettings.Infisical(
                            s.address(),
                            s.project(),
                            " ",
                            s.clientIdFile(),
                            s.clientSecretFile())));
    assertEquals(Kind.INVALID, e.kind());
    assertEquals("backends.inf.environment: required for type infisical", e.getMessage());
    assertEquals("infisical", new InfisicalFactory().type());
  }
}
