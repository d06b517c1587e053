package io.baoinjector.backend.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import io.baoinjector.sidecar.backend.BackendSecret;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32C;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GCP Secret Manager over REST ({@code v1/projects/P/secrets/ID/versions/V:access}): a version's
 * payload is the secret's text, its JSON members the keys; the change check asks the version's
 * metadata, which carries no payload.
 */
final class GcpSecretManager implements Backend {
  private static final Logger log = LoggerFactory.getLogger(GcpSecretManager.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final String project;
  private final HttpUrl endpoint;
  private final OkHttpClient http;
  private final GcpCredentials credentials;

  /** Secrets whose metadata this identity may not get: their rounds compare payloads. */
  private final Set<String> noMetadata = new HashSet<>();

  GcpSecretManager(
      String name, String project, HttpUrl endpoint, OkHttpClient http, GcpCredentials creds) {
    this.name = name;
    this.project = project;
    this.endpoint = endpoint;
    this.http = http;
    this.credentials = creds;
  }

  @Override
  public BackendSecret read(Reference ref) {
    JsonNode body = get(ref, ":access");
    String version = versionOf(ref, body);
    JsonNode payload = body.path("payload");
    byte[] data;
    try {
      data = Base64.getDecoder().decode(payload.path("data").asText(""));
    } catch (IllegalArgumentException e) {
      throw new BackendException(Kind.UNAVAILABLE, shown(ref) + ": payload is not base64");
    }
    JsonNode crc = payload.get("dataCrc32c");
    if (crc != null && !crc.isNull()) {
      CRC32C c = new CRC32C();
      c.update(data);
      if (!Long.toString(c.getValue()).equals(crc.asText())) {
        throw new BackendException(
            Kind.UNAVAILABLE, shown(ref) + ": payload corrupted in transit (CRC32C mismatch)");
      }
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data)).toString();
    } catch (CharacterCodingException e) {
      throw new BackendException(
          Kind.INVALID,
          shown(ref)
              + ": the payload is binary, not UTF-8 text; store text (base64-encode a binary"
              + " file before adding it as a version)");
    }
    return BackendSecret.ofText(text, version);
  }

  @Override
  public String currentVersion(Reference ref) {
    if (noMetadata.contains(ref.path())) {
      return null;
    }
    JsonNode body;
    try {
      body = get(ref, "");
    } catch (BackendException e) {
      if (e.kind() != Kind.DENIED) {
        throw e;
      }
      // secretAccessor alone may access but not get: read every round instead of failing
      log.info(
          "{}: no secretmanager.versions.get permission ({}); comparing payloads instead of"
              + " versions (grant roles/secretmanager.viewer for the cheaper check)",
          name,
          e.getMessage());
      noMetadata.add(ref.path());
      return null;
    }
    String state = body.path("state").asText("");
    if (state.equals("DISABLED") || state.equals("DESTROYED")) {
      throw new BackendException(
          Kind.NOT_FOUND, shown(ref) + ": version " + versionOf(ref, body) + " is " + state);
    }
    return versionOf(ref, body);
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private JsonNode get(Reference ref, String verb) {
    HttpUrl url =
        endpoint
            .newBuilder()
            .addPathSegments("v1/projects")
            .addPathSegment(project)
            .addPathSegment("secrets")
            .addPathSegment(ref.path())
            .addPathSegment("versions")
            .addPathSegment(versionName(ref) + verb)
            .build();
    Request req =
        new Request.Builder()
            .url(url)
            .header("Authorization", "Bearer " + credentials.bearer())
            .header("Accept", "application/json")
            .build();
    try (Response r = http.newCall(req).execute()) {
      ResponseBody rb = r.body();
      String body = rb == null ? "" : rb.string();
      log.debug("{}: GET {} -> {}", name, url.encodedPath(), r.code());
      if (r.code() == 200) {
        return parse(ref, body);
      }
      throw failure(ref, r.code(), body);
    } catch (IOException e) {
      // connection failures and timeouts name hosts and ports only
      throw new BackendException(
          Kind.UNAVAILABLE,
          shown(ref)
              + ": cannot reach "
              + endpoint.host()
              + ": "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : " " + e.getMessage()),
          e);
    }
  }

  private JsonNode parse(Reference ref, String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      // the parser's message quotes the body, which holds the payload
      throw new BackendException(Kind.UNAVAILABLE, shown(ref) + ": answered 200 with no JSON body");
    }
  }

  private BackendException failure(Reference ref, int code, String body) {
    String google = googleMessage(body);
    String said = google.isEmpty() ? "" : " (" + google + ")";
    return switch (code) {
      case 404 ->
          new BackendException(
              Kind.NOT_FOUND,
              shown(ref) + ": no such secret or version in project " + project + said);
      case 403 -> new BackendException(Kind.DENIED, shown(ref) + ": permission denied" + said);
      case 400 -> new BackendException(Kind.INVALID, shown(ref) + ": refused" + said);
      case 401 -> {
        credentials.refused();
        yield new BackendException(
            Kind.UNAVAILABLE, shown(ref) + ": the access token was refused (401)" + said);
      }
      default ->
          new BackendException(
              Kind.UNAVAILABLE, shown(ref) + ": Secret Manager answered " + code + said);
    };
  }

  /**
   * Google's {@code error.message}: it names resources and permissions, never payloads. Trimmed to
   * one short line all the same.
   */
  private static String googleMessage(String body) {
    try {
      String m = JSON.readTree(body).path("error").path("message").asText("");
      m = m.replaceAll("\\s+", " ").trim();
      return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** The trailing number of {@code projects/P/secrets/ID/versions/N}. */
  private String versionOf(Reference ref, JsonNode body) {
    String n = body.path("name").asText("");
    String v = n.substring(n.lastIndexOf('/') + 1);
    if (!n.contains("/versions/") || !v.matches("[0-9]{1,19}")) {
      throw new BackendException(
          Kind.UNAVAILABLE, shown(ref) + ": Secret Manager answered without a version name");
    }
    return v;
  }

  private static String versionName(Reference ref) {
    return ref.version() == 0 ? "latest" : Integer.toString(ref.version());
  }

  /** {@code gcp:ID@VERSION} as the user would write it. */
  private String shown(Reference ref) {
    return name + ":" + ref.path() + "@" + versionName(ref);
  }
}
