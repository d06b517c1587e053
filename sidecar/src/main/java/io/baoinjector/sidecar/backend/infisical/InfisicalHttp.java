package io.baoinjector.sidecar.backend.infisical;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * One request to Infisical, answered as JSON or as a {@link BackendException} of the right kind. No
 * retries (the sidecar's backoff owns them) and no redirects (they would carry the bearer token
 * wherever they point).
 *
 * <p>Error messages carry Infisical's own {@code message} field, which names projects, folders and
 * secrets, never a value; request and response bodies (which hold credentials, tokens and values)
 * never reach a message, and neither does a parser's message, which can quote them.
 */
final class InfisicalHttp implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final int MAX_MESSAGE = 200;

  /** A non-2xx answer, kept apart from the kind so the caller can react to a 401. */
  static final class Status extends BackendException {
    private static final long serialVersionUID = 1L;
    final int code;

    Status(Kind kind, int code, String message) {
      super(kind, message);
      this.code = code;
    }
  }

  private final HttpUrl base;
  private final OkHttpClient client;

  InfisicalHttp(HttpUrl base, Duration connectTimeout, Duration callTimeout) {
    this.base = base;
    this.client =
        new OkHttpClient.Builder()
            .followRedirects(false)
            .followSslRedirects(false)
            .retryOnConnectionFailure(false)
            .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .writeTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .callTimeout(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .build();
  }

  HttpUrl.Builder url(String path) {
    return base.newBuilder().addPathSegments(path);
  }

  /** POST a JSON body without a bearer token (login, renewal: the token travels in the body). */
  JsonNode post(String path, Map<String, String> body, String what) {
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings is always JSON", e);
    }
    return send(
        new Request.Builder().url(url(path).build()).post(RequestBody.create(json, JSON_TYPE)),
        what);
  }

  JsonNode get(HttpUrl url, SecretValue token, String what) {
    return send(
        new Request.Builder().url(url).get().header("Authorization", "Bearer " + token.reveal()),
        what);
  }

  private JsonNode send(Request.Builder request, String what) {
    Request r = request.header("Accept", "application/json").build();
    try (Response response = client.newCall(r).execute()) {
      ResponseBody body = response.body();
      byte[] bytes = body == null ? new byte[0] : body.bytes();
      if (!response.isSuccessful()) {
        throw failure(response.code(), bytes, what);
      }
      JsonNode node = parse(bytes);
      if (node == null || !node.isObject()) {
        throw new BackendException(
            Kind.UNAVAILABLE,
            what + ": Infisical answered " + response.code() + " with a body that is not JSON");
      }
      return node;
    } catch (IOException e) {
      // the exception's class names the failure (refused, timeout, unknown host) without any body
      throw new BackendException(
          Kind.UNAVAILABLE,
          what + ": Infisical at " + base + " unreachable (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static Status failure(int code, byte[] bytes, String what) {
    String text = what + ": Infisical answered " + code + message(parse(bytes));
    Kind kind;
    if (code == 401 || code == 403) {
      kind = Kind.DENIED;
    } else if (code == 404) {
      kind = Kind.NOT_FOUND;
    } else if (code == 429 || code >= 500) {
      kind = Kind.UNAVAILABLE;
    } else {
      kind = Kind.INVALID;
    }
    return new Status(kind, code, text);
  }

  /** Infisical's {@code message} when it is one line of text (a 422 carries a list instead). */
  private static String message(JsonNode node) {
    if (node == null || !node.path("message").isTextual()) {
      return "";
    }
    String m = node.path("message").asText().replaceAll("\\s+", " ").trim();
    if (m.isEmpty()) {
      return "";
    }
    return ": " + (m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "…" : m);
  }

  private static JsonNode parse(byte[] bytes) {
    if (bytes.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      return null; // the parser's message could quote the body, which may hold a value
    }
  }

  @Override
  public void close() {
    client.connectionPool().evictAll(); // calls are synchronous: no dispatcher threads to stop
  }
}
