package io.baoinjector.backend.gcp;

import static io.baoinjector.backend.gcp.GcpFixture.EMAIL;
import static io.baoinjector.backend.gcp.GcpFixture.TOKEN;
import static io.baoinjector.backend.gcp.GcpFixture.access;
import static io.baoinjector.backend.gcp.GcpFixture.json;
import static io.baoinjector.backend.gcp.GcpFixture.ref;
import static io.baoinjector.backend.gcp.GcpFixture.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import io.baoinjector.sidecar.config.BackendSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The service-account login (RFC 7523 JWT-bearer grant) and what a failed one says. */
@Timeout(30)
class GcpLoginTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension final GcpFixture gcp = new GcpFixture();
  private final MockWebServer server = gcp.server;
  @TempDir Path dir;

  @Test
  void signsAJwtBearerGrantThenSendsTheTokenAndReusesIt() throws Exception {
    server.enqueue(token());
    server.enqueue(access("db-password", 4, "s3cret"));
    server.enqueue(access("db-password", 4, "s3cret"));
    try (Backend b = gcp.open()) {
      assertEquals("s3cret", b.read(ref("gcp:db-password")).text().reveal());
      b.read(ref("gcp:db-password"));
    }

    RecordedRequest grant = server.takeRequest(1, TimeUnit.SECONDS);
    assertEquals("POST", grant.getMethod());
    assertEquals("/token", grant.getPath());
    assertTrue(grant.getHeader("Content-Type").startsWith("application/x-www-form-urlencoded"));
    // a form body is a URL's query, encoded alike
    HttpUrl form = HttpUrl.get("http://form.invalid/?" + grant.getBody().readUtf8());
    assertEquals("urn:ietf:params:oauth:grant-type:jwt-bearer", form.queryParameter("grant_type"));

    String[] jwt = form.queryParameter("assertion").split("\\.");
    assertEquals(3, jwt.length);
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify(GcpFixture.KEY.getPublic());
    rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
    assertTrue(rs256.verify(Base64.getUrlDecoder().decode(jwt[2])), "signed by the key file's key");
    JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
    assertEquals("RS256", header.path("alg").asText());
    assertEquals("0123456789abcdef", header.path("kid").asText());
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
    assertEquals(EMAIL, claims.path("iss").asText());
    // Google's documented audience, whichever token_uri the request goes to
    assertEquals("https://oauth2.googleapis.com/token", claims.path("aud").asText());
    assertEquals(GcpCredentials.SCOPE, claims.path("scope").asText());
    assertTrue(claims.path("exp").asLong() > claims.path("iat").asLong());

    for (int i = 0; i < 2; i++) {
      RecordedRequest read = server.takeRequest(1, TimeUnit.SECONDS);
      assertEquals("GET", read.getMethod());
      assertEquals(
          "/v1/projects/acme-prod/secrets/db-password/versions/latest:access", read.getPath());
      assertEquals("Bearer " + TOKEN, read.getHeader("Authorization"));
    }
    assertEquals(3, server.getRequestCount(), "one login for both reads");
  }

  @Test
  void aTokenTheStoreRefusesIsReplacedOnTheNextCall() throws Exception {
    server.enqueue(token());
    server.enqueue(
        GcpFixture.error(
            401, "UNAUTHENTICATED", "Request had invalid authentication credentials."));
    server.enqueue(token());
    server.enqueue(access("db", 1, "pw"));
    try (Backend b = gcp.open()) {
      BackendException e = assertThrows(BackendException.class, () -> b.read(ref("gcp:db")));
      assertEquals(Kind.UNAVAILABLE, e.kind());
      assertEquals(
          "gcp:db@latest: the access token was refused (401) (Request had invalid authentication"
              + " credentials.)",
          e.getMessage());
      assertEquals("pw", b.read(ref("gcp:db")).text().reveal());
    }
    assertEquals("/token", server.takeRequest(1, TimeUnit.SECONDS).getPath());
    server.takeRequest(1, TimeUnit.SECONDS);
    assertEquals("/token", server.takeRequest(1, TimeUnit.SECONDS).getPath());
  }

  @Test
  void aRefusedGrantIsUnavailableWithTheOAuthErrorAndIsNotRetried() {
    server.enqueue(
        json(
            400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}"));
    try (Backend b = gcp.open()) {
      BackendException e = assertThrows(BackendException.class, () -> b.read(ref("gcp:db")));
      assertEquals(Kind.UNAVAILABLE, e.kind());
      assertEquals(
          "gcp: login failed: token endpoint answered 400 invalid_grant Invalid JWT Signature.",
          e.getMessage());
    }
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void aTokenEndpointThatIsDownIsOneAttemptTheSidecarsBackoffRetries() {
    // 503 is in google-auth's retryable set: with its retries on, this would be 4 requests
    server.enqueue(json(503, "{\"error\":\"temporarily_unavailable\"}"));
    server.enqueue(json(503, "{\"error\":\"temporarily_unavailable\"}"));
    try (Backend b = gcp.open()) {
      BackendException e = assertThrows(BackendException.class, () -> b.read(ref("gcp:db")));
      assertEquals(Kind.UNAVAILABLE, e.kind());
      assertTrue(
          e.getMessage().startsWith("gcp: login failed: token endpoint answered 503"),
          e.getMessage());
    }
    assertEquals(1, server.getRequestCount());
  }

  @Test
  void anUnreachableTokenEndpointIsUnavailable() throws Exception {
    Backend b = gcp.open();
    server.shutdown();
    BackendException e = assertThrows(BackendException.class, () -> b.read(ref("gcp:db")));
    assertEquals(Kind.UNAVAILABLE, e.kind());
    assertTrue(e.getMessage().startsWith("gcp: login failed: ConnectException"), e.getMessage());
  }

  @Test
  void aMissingCredentialsFileIsAConfigError() {
    Path missing = dir.resolve("nope.json");
    BackendException e = assertThrows(BackendException.class, () -> gcp.open(missing));
    assertEquals(Kind.INVALID, e.kind());
    assertEquals("backends.gcp.credentials-file: file not found: " + missing, e.getMessage());
  }

  @Test
  void aMalformedCredentialsFileIsAConfigErrorThatQuotesNothingFromIt() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(
        bad, "{\"type\":\"service_account\",\"private_key\":\"CANARY-key-material-91c2\"}");
    BackendException e = assertThrows(BackendException.class, () -> gcp.open(bad));
    assertEquals(Kind.INVALID, e.kind());
    assertTrue(
        e.getMessage()
            .startsWith("backends.gcp.credentials-file: " + bad + " is no Google credentials JSON"),
        e.getMessage());
    assertFalse(e.getMessage().contains("CANARY"));
    assertEquals(null, e.getCause());
  }

  @Test
  void aBlockWithoutAProjectIsAConfigError() {
    BackendException e =
        assertThrows(
            BackendException.class,
            () ->
                new GcpSecretManagerFactory()
                    .open("gcp", new BackendSettings.Gcp(" ", null, gcp.keyFile)));
    assertEquals(Kind.INVALID, e.kind());
    assertEquals(
        "backends.gcp.project: missing; set the GCP project id, e.g. project: acme-prod",
        e.getMessage());
  }
}
