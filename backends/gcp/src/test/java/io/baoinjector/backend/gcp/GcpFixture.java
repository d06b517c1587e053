package io.baoinjector.backend.gcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.config.BackendSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One MockWebServer per test (started before the test's own {@code @BeforeEach}, shut down after
 * its {@code @AfterEach}) and the documented shapes it replays: a service-account key file whose
 * {@code token_uri} is the mock server (as Google's own key files name {@code
 * https://oauth2.googleapis.com/token}), the OAuth token response, Secret Manager's {@code
 * AccessSecretVersionResponse} and {@code SecretVersion}, and Google's error JSON ({@code {"error":
 * {"code", "message", "status"}}}).
 */
final class GcpFixture implements BeforeEachCallback, AfterEachCallback {
  static final String PROJECT = "acme-prod";
  static final String EMAIL = "injector@acme-prod.iam.gserviceaccount.com";
  static final String TOKEN = "ya29.CANARY-access-token-3f9a";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One key for all tests: RSA generation is the slowest step on a busy machine. */
  static final KeyPair KEY = rsa();

  final MockWebServer server = new MockWebServer();
  Path keyFile;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    server.start();
    keyFile = Files.createTempFile("gcp-sa", ".json");
    Map<String, String> sa = new LinkedHashMap<>();
    sa.put("type", "service_account");
    sa.put("project_id", PROJECT);
    sa.put("private_key_id", "0123456789abcdef");
    sa.put("private_key", pem(KEY));
    sa.put("client_email", EMAIL);
    sa.put("client_id", "104857600000000000000");
    sa.put("token_uri", server.url("/token").toString());
    Files.writeString(keyFile, JSON.writeValueAsString(sa));
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    server.shutdown();
    Files.deleteIfExists(keyFile);
  }

  /** A block for the mock server, logging in with {@code credentials}. */
  BackendSettings.Gcp block(Path credentials) {
    return new BackendSettings.Gcp(PROJECT, URI.create(server.url("/").toString()), credentials);
  }

  Backend open(Path credentials) {
    return new GcpSecretManagerFactory().open("gcp", block(credentials));
  }

  Backend open() {
    return open(keyFile);
  }

  static Reference ref(String text) {
    return Reference.parse(text, n -> n.equals("gcp") ? Reference.Store.GCP : null);
  }

  static MockResponse token() {
    return json(
        200, "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
  }

  /** {@code AccessSecretVersionResponse}. */
  static MockResponse access(String id, int version, String payload) {
    byte[] data = payload.getBytes(StandardCharsets.UTF_8);
    return access(id, version, data, Long.toString(crc(data)));
  }

  static MockResponse access(String id, int version, byte[] data, String crc32c) {
    String crc = crc32c == null ? "" : ",\"dataCrc32c\":\"" + crc32c + "\"";
    return json(
        200,
        """
        {"name":"%s","payload":{"data":"%s"%s}}"""
            .formatted(name(id, version), Base64.getEncoder().encodeToString(data), crc));
  }

  /** A version's resource name: Google's carry the project number, not the id. */
  private static String name(String id, int version) {
    return "projects/123456789012/secrets/" + id + "/versions/" + version;
  }

  /** {@code SecretVersion}: metadata, no payload. */
  static MockResponse version(String id, int version, String state) {
    return json(
        200,
        """
        {"name":"%s","createTime":"2026-11-30T09:12:44.101Z","state":"%s",\
        "replicationStatus":{"automatic":{}},"etag":"\\"16281f1a0e6b2a\\""}"""
            .formatted(name(id, version), state));
  }

  static MockResponse error(int code, String status, String message) {
    return json(
        code,
        """
        {"error":{"code":%d,"message":"%s","status":"%s"}}"""
            .formatted(code, message, status));
  }

  static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json; charset=UTF-8")
        .setBody(body);
  }

  static long crc(byte[] data) {
    CRC32C c = new CRC32C();
    c.update(data);
    return c.getValue();
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(KeyPair k) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(k.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }
}
