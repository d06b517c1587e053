package io.baoinjector.sidecar.backend.infisical;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import io.baoinjector.sidecar.backend.BackendSecret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.HttpUrl;

/**
 * Reads one Infisical folder per reference ({@code infisical:/app#DB_PASSWORD} reads folder {@code
 * /app} of the block's project and environment) with the v4 secrets API.
 *
 * <p>Secret references inside values ({@code ${OTHER}}) are expanded by Infisical; imports and
 * sub-folders are not read. The version is a digest of every secret's (name, version) pair, so a
 * change to any secret of the folder changes it; a value that only changes through a reference
 * keeps it, which is one reason {@link #currentVersion} has no cheaper check to offer (the sidecar
 * compares what each round reads).
 */
final class InfisicalBackend implements Backend {
  static final String SECRETS = "api/v4/secrets";

  private final String block;
  private final String project;
  private final String environment;
  private final InfisicalHttp http;
  private final UniversalAuth auth;

  InfisicalBackend(
      String block, String project, String environment, InfisicalHttp http, UniversalAuth auth) {
    this.block = block;
    this.project = project;
    this.environment = environment;
    this.http = http;
    this.auth = auth;
  }

  @Override
  public synchronized BackendSecret read(Reference ref) {
    String folder = ref.path();
    String what =
        "infisical backend " + block + ": folder " + folder + " of environment " + environment;
    HttpUrl url =
        http.url(SECRETS)
            .addQueryParameter("projectId", project)
            .addQueryParameter("environment", environment)
            .addQueryParameter("secretPath", folder)
            .addQueryParameter("viewSecretValue", "true")
            .addQueryParameter("expandSecretReferences", "true")
            .addQueryParameter("include_imports", "false")
            .addQueryParameter("recursive", "false")
            .build();
    SecretValue token = auth.token(); // a refused login is its own answer, not retried here
    JsonNode answer;
    try {
      answer = http.get(url, token, what);
    } catch (InfisicalHttp.Status e) {
      if (e.code != 401) {
        throw e;
      }
      // expired or revoked early: one fresh login, one more try; a second 401 is a denial
      auth.forget();
      answer = http.get(url, auth.token(), what);
    }
    return secrets(answer, what);
  }

  private BackendSecret secrets(JsonNode answer, String what) {
    JsonNode list = answer.path("secrets");
    if (!list.isArray()) {
      throw new BackendException(Kind.UNAVAILABLE, what + ": the answer has no secrets list");
    }
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Long> versions = new TreeMap<>();
    for (JsonNode s : list) {
      if ("personal".equals(s.path("type").asText())) {
        continue; // a user's override; a machine identity has none, and it is not the shared value
      }
      JsonNode key = s.path("secretKey");
      JsonNode value = s.path("secretValue");
      if (!key.isTextual() || !value.isTextual() || !s.path("version").canConvertToLong()) {
        throw new BackendException(
            Kind.UNAVAILABLE, what + ": a secret lacks secretKey, secretValue or version");
      }
      if (s.path("secretValueHidden").asBoolean(false)) {
        throw new BackendException(
            Kind.DENIED,
            what
                + ": the identity may list "
                + key.asText()
                + " but not read its value; grant it Read Value on this folder");
      }
      values.put(key.asText(), value.asText());
      versions.put(key.asText(), s.path("version").asLong());
    }
    if (values.isEmpty()) {
      // Infisical answers a missing folder or environment with an empty list, not a 404
      throw new BackendException(
          Kind.NOT_FOUND,
          what
              + ": no secrets (the folder or environment does not exist in project "
              + project
              + ", or the folder is empty)");
    }
    return BackendSecret.ofKeys(values, digest(versions));
  }

  /** Names and version numbers only: a value never feeds the version. */
  static String digest(Map<String, Long> versions) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    versions.forEach((k, v) -> sha.update((k + '\0' + v + '\n').getBytes(StandardCharsets.UTF_8)));
    return "sha256:" + HexFormat.of().formatHex(sha.digest(), 0, 12);
  }

  @Override
  public void close() {
    http.close();
  }

  @Override
  public String toString() {
    return "InfisicalBackend[" + block + ", project=" + project + ", env=" + environment + "]";
  }
}
