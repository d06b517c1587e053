package io.baoinjector.sidecar.backend.infisical;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendSecret;
import io.baoinjector.sidecar.config.BackendSettings;
import io.baoinjector.sidecar.source.ManualClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A MockWebServer that answers with the request and response shapes Infisical documents for
 * universal-auth login ({@code POST /api/v1/auth/universal-auth/login}), token renewal ({@code POST
 * /api/v1/auth/token/renew}) and listing a folder ({@code GET /api/v4/secrets}), plus the error
 * body its error handler sends ({@code reqId, statusCode, message, error}).
 */
final class InfisicalFixture implements AutoCloseable {
  static final String PROJECT = "6f1e2a3b-project";
  static final String ENV = "prod";

  final MockWebServer server = new MockWebServer();
  final ManualClock clock = new ManualClock();
  final Path clientIdFile;
  final Path clientSecretFile;
  final Backend backend;

  InfisicalFixture(Path dir, String clientId, String clientSecret) throws IOException {
    server.start(InetAddress.getLoopbackAddress(), 0);
    clientIdFile = Files.writeString(dir.resolve("client-id"), clientId + "\n");
    clientSecretFile = Files.writeString(dir.resolve("client-secret"), clientSecret + "\n");
    backend = new InfisicalFactory().open("inf", settings(), clock);
  }

  BackendSettings.Infisical settings() {
    return new BackendSettings.Infisical(
        URI.create(server.url("/").toString()), PROJECT, ENV, clientIdFile, clientSecretFile);
  }

  static Reference ref(String text) {
    return Reference.parse(text, n -> Reference.Store.INFISICAL).secret();
  }

  /** Login or renewal answer. */
  static MockResponse token(String token, long expiresIn, long maxTtl) {
    return json(
        200,
        "{\"accessToken\":\""
            + token
            + "\",\"expiresIn\":"
            + expiresIn
            + ",\"accessTokenMaxTTL\":"
            + maxTtl
            + ",\"tokenType\":\"Bearer\"}");
  }

  /** A v4 list answer; each secret is {key, value, version}. */
  static MockResponse secrets(Object[]... secrets) {
    List<String> items = new ArrayList<>();
    for (Object[] s : secrets) {
      items.add(
          "{\"id\":\"id-"
              + s[0]
              + "\",\"_id\":\"id-"
              + s[0]
              + "\",\"workspace\":\""
              + PROJECT
              + "\",\"environment\":\""
              + ENV
              + "\",\"version\":"
              + s[2]
              + ",\"type\":\"shared\",\"secretKey\":\""
              + s[0]
              + "\",\"secretValue\":\""
              + s[1]
              + "\",\"secretComment\":\"\",\"secretPath\":\"/app\",\"secretValueHidden\":false,"
              + "\"skipMultilineEncoding\":false,\"createdAt\":\"2026-11-07T05:31:56Z\","
              + "\"updatedAt\":\"2026-11-07T05:31:56Z\",\"tags\":[],\"secretMetadata\":[]}");
    }
    return json(200, "{\"secrets\":[" + String.join(",", items) + "],\"imports\":[]}");
  }

  static Object[] s(String key, String value, int version) {
    return new Object[] {key, value, version};
  }

  static MockResponse error(int status, String error, String message) {
    return json(
        status,
        "{\"reqId\":\"req-1\",\"statusCode\":"
            + status
            + ",\"message\":\""
            + message
            + "\",\"error\":\""
            + error
            + "\"}");
  }

  static MockResponse json(int status, String body) {
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", "application/json; charset=utf-8")
        .setBody(body);
  }

  static JsonNode body(RecordedRequest r) throws IOException {
    return InfisicalHttp.JSON.readTree(r.getBody().readUtf8());
  }

  static Map<String, String> reveal(BackendSecret s) {
    Map<String, String> out = new LinkedHashMap<>();
    s.keys().forEach((k, v) -> out.put(k, v.reveal()));
    return out;
  }

  @Override
  public void close() throws IOException {
    backend.close();
    server.shutdown();
  }
}
