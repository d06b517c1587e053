package io.baoinjector.sidecar.openbao;

import io.baoinjector.sidecar.SecretValue;
import java.util.Objects;

/**
 * One API call. {@code path} is the API path without {@code /v1/} (e.g. {@code
 * secret/data/app/db}), optionally with a query string ({@code sys/health?standbyok=true}); {@code
 * body} is anything Jackson can write, or null; {@code token} is null for calls that need none
 * (login); {@code wrapTtl} asks OpenBao to response-wrap the answer for that long ({@code
 * X-Vault-Wrap-TTL}, e.g. {@code 1h}), or is null.
 */
public record OpenBaoRequest(
    String method, String path, Object body, SecretValue token, String wrapTtl) {
  public OpenBaoRequest(String method, String path, Object body, SecretValue token) {
    this(method, path, body, token, null);
  }

  public OpenBaoRequest {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(path, "path == null");
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (path.startsWith("v1/")) {
      throw new IllegalArgumentException("path must not start with v1/: " + path);
    }
  }

  /** The path without its query string, for messages and metrics. */
  public String pathLabel() {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  @Override
  public String toString() {
    return method + " " + pathLabel();
  }
}
