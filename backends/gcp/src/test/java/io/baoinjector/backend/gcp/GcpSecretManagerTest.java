package io.baoinjector.backend.gcp;

import static io.baoinjector.backend.gcp.GcpFixture.access;
import static io.baoinjector.backend.gcp.GcpFixture.error;
import static io.baoinjector.backend.gcp.GcpFixture.ref;
import static io.baoinjector.backend.gcp.GcpFixture.token;
import static io.baoinjector.backend.gcp.GcpFixture.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import io.baoinjector.sidecar.backend.BackendSecret;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reads, the version check and Google's errors, against the documented REST shapes. */
@Timeout(30)
class GcpSecretManagerTest {
  @RegisterExtension final GcpFixture gcp = new GcpFixture();
  private final MockWebServer server = gcp.server;
  private Backend backend;

  @BeforeEach
  void open() {
    backend = gcp.open();
    server.enqueue(token());
  }

  @AfterEach
  void close() {
    backend.close();
  }

  @Test
  void aPlainPayloadIsTheWholeValueAtTheVersionItNames() throws Exception {
    server.enqueue(access("api-key", 7, "k-123"));
    BackendSecret s = backend.read(ref("gcp:api-key@latest"));
    assertEquals("k-123", s.text().reveal());
    assertTrue(s.keys().isEmpty());
    assertEquals("7", s.version());
  }

  @Test
  void aJsonPayloadsMembersAreKeysAndAPinnedVersionIsAsked() throws Exception {
    server.enqueue(access("db", 3, "{\"username\":\"app\",\"password\":\"pw-3\",\"port\":5432}"));
    Reference r = ref("gcp:db@3#password");
    BackendSecret s = backend.read(r.secret());
    assertEquals("pw-3", s.keys().get(r.key()).reveal());
    assertEquals("5432", s.keys().get("port").reveal());
    assertEquals("3", s.version());
    server.takeRequest(1, TimeUnit.SECONDS);
    assertEquals(
        "/v1/projects/acme-prod/secrets/db/versions/3:access",
        server.takeRequest(1, TimeUnit.SECONDS).getPath());
  }

  @Test
  void theVersionCheckAsksMetadataAndSeesANewVersion() throws Exception {
    server.enqueue(version("db", 7, "ENABLED"));
    server.enqueue(version("db", 8, "ENABLED"));
    assertEquals("7", backend.currentVersion(ref("gcp:db")));
    assertEquals("8", backend.currentVersion(ref("gcp:db")));
    server.takeRequest(1, TimeUnit.SECONDS);
    assertEquals(
        "/v1/projects/acme-prod/secrets/db/versions/latest",
        server.takeRequest(1, TimeUnit.SECONDS).getPath());
  }

  @Test
  void aDisabledOrDestroyedVersionIsNotFoundWithItsState() {
    server.enqueue(version("db", 2, "DISABLED"));
    server.enqueue(version("db", 3, "DESTROYED"));
    BackendException d =
        assertThrows(BackendException.class, () -> backend.currentVersion(ref("gcp:db@2")));
    assertEquals(Kind.NOT_FOUND, d.kind());
    assertEquals("gcp:db@2: version 2 is DISABLED", d.getMessage());
    BackendException x =
        assertThrows(BackendException.class, () -> backend.currentVersion(ref("gcp:db@3")));
    assertEquals("gcp:db@3: version 3 is DESTROYED", x.getMessage());
  }

  @Test
  void withoutGetPermissionTheVersionCheckStepsAsideForReads() {
    server.enqueue(
        error(
            403,
            "PERMISSION_DENIED",
            "Permission 'secretmanager.versions.get' denied for resource"
                + " 'projects/acme-prod/secrets/db/versions/latest' (or it may not exist)."));
    assertNull(backend.currentVersion(ref("gcp:db")));
    assertNull(backend.currentVersion(ref("gcp:db")));
    assertEquals(2, server.getRequestCount(), "asked once, then no more");
    server.enqueue(version("other", 4, "ENABLED"));
    assertEquals("4", backend.currentVersion(ref("gcp:other")), "other secrets still asked");
  }

  @Test
  void aBodyThatIsNoJsonIsUnavailableAndQuotesNothing() {
    server.enqueue(GcpFixture.json(200, "CANARY-not-json-e1f0 {"));
    BackendException e = assertThrows(BackendException.class, () -> backend.read(ref("gcp:db")));
    assertEquals(Kind.UNAVAILABLE, e.kind());
    assertEquals("gcp:db@latest: answered 200 with no JSON body", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "403|PERMISSION_DENIED|DENIED|gcp:db@latest: permission denied (Permission"
            + " 'secretmanager.versions.access' denied for resource"
            + " 'projects/acme-prod/secrets/db/versions/latest' (or it may not exist).)",
        "404|NOT_FOUND|NOT_FOUND|gcp:db@latest: no such secret or version in project acme-prod"
            + " (Secret [projects/123456789012/secrets/db] not found or has no versions.)",
        "429|RESOURCE_EXHAUSTED|UNAVAILABLE|gcp:db@latest: Secret Manager answered 429 (Quota"
            + " exceeded for quota metric 'Access requests' of service"
            + " 'secretmanager.googleapis.com'.)",
        "503|UNAVAILABLE|UNAVAILABLE|gcp:db@latest: Secret Manager answered 503 (The service is"
            + " currently unavailable.)",
        "400|FAILED_PRECONDITION|INVALID|gcp:db@latest: refused (Secret Version"
            + " [projects/123456789012/secrets/db/versions/4] is in DISABLED state.)"
      })
  void googlesErrorsKeepTheirKindAndMessage(int code, String status, Kind kind, String expected) {
    String google = expected.substring(expected.indexOf('(') + 1, expected.length() - 1);
    server.enqueue(error(code, status, google));
    BackendException e = assertThrows(BackendException.class, () -> backend.read(ref("gcp:db")));
    assertEquals(kind, e.kind());
    assertEquals(expected, e.getMessage());
  }

  @Test
  void aChecksumMismatchIsCorruptionInTransit() {
    byte[] data = "pw".getBytes(StandardCharsets.UTF_8);
    server.enqueue(access("db", 1, data, Long.toString(GcpFixture.crc(data) ^ 1)));
    BackendException e = assertThrows(BackendException.class, () -> backend.read(ref("gcp:db")));
    assertEquals(Kind.UNAVAILABLE, e.kind());
    assertEquals("gcp:db@latest: payload corrupted in transit (CRC32C mismatch)", e.getMessage());
  }

  @Test
  void aPayloadWithoutChecksumIsTakenAsItIs() {
    server.enqueue(access("db", 1, "pw".getBytes(StandardCharsets.UTF_8), null));
    assertEquals("pw", backend.read(ref("gcp:db")).text().reveal());
  }

  @Test
  void aBinaryPayloadIsInvalid() {
    byte[] data = {(byte) 0xff, (byte) 0xfe, 0x00, 0x41};
    server.enqueue(access("cert", 1, data, Long.toString(GcpFixture.crc(data))));
    BackendException e = assertThrows(BackendException.class, () -> backend.read(ref("gcp:cert")));
    assertEquals(Kind.INVALID, e.kind());
    assertTrue(e.getMessage().startsWith("gcp:cert@latest: the payload is binary, not UTF-8 text"));
  }

  @Test
  void anUnreachableStoreIsUnavailable() throws Exception {
    server.enqueue(access("db", 1, "pw"));
    backend.read(ref("gcp:db"));
    server.shutdown();
    BackendException e = assertThrows(BackendException.class, () -> backend.read(ref("gcp:db")));
    assertEquals(Kind.UNAVAILABLE, e.kind());
    assertTrue(e.getMessage().startsWith("gcp:db@latest: cannot reach "), e.getMessage());
  }
}
