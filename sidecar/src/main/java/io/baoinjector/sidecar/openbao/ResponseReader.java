package io.baoinjector.sidecar.openbao;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okhttp3.Response;

/** Turns one HTTP answer into a response or a typed, retry-classified failure. */
final class ResponseReader {
  private static final int MAX_ERROR_CHARS = 300;

  /** The longest {@code Retry-After} honoured. */
  private static final Duration RETRY_AFTER_CAP = Duration.ofMinutes(5);

  private final Clock clock;

  ResponseReader(Clock clock) {
    this.clock = clock;
  }

  Attempt read(Transport c, OpenBaoRequest req, Response r, long t0) throws IOException {
    int code = r.code();
    String text = r.body() == null ? "" : r.body().string();
    String m = req.method();
    String p = req.pathLabel();
    if (code / 100 == 2) {
      if (text.isBlank()) {
        c.observe(req, code, RequestObserver.Outcome.SUCCESS, t0);
        return Attempt.ok(new OpenBaoResponse(code, null));
      }
      JsonNode json = parse(text);
      if (json == null || !json.isObject()) {
        c.observe(req, code, RequestObserver.Outcome.BAD_RESPONSE, t0);
        return Attempt.fail(
            new BadResponseException(
                m, p, code, json == null ? "body is not valid JSON" : "body is not a JSON object"),
            false,
            null);
      }
      c.observe(req, code, RequestObserver.Outcome.SUCCESS, t0);
      return Attempt.ok(new OpenBaoResponse(code, json));
    }
    JsonNode json = parse(text);
    List<String> errors = errors(json, req);
    boolean retryable = code == 429 || (code >= 500 && code != 501);
    c.observe(
        req, code, retryable ? RequestObserver.Outcome.RETRY : RequestObserver.Outcome.ERROR, t0);
    String detail = json == null && !text.isBlank() ? "non-JSON error body" : null;
    Duration retryAfter = retryable ? retryAfter(r.header("Retry-After")) : null;
    OpenBaoException e =
        switch (code) {
          case 403 -> new PermissionDeniedException(m, p, errors);
          case 404 -> new NotFoundException(m, p, errors, payload(json));
          case 503 ->
              isSealed(errors)
                  ? new SealedException(m, p, errors)
                  : new UnavailableException(m, p, code, errors, detail, null);
          default ->
              retryable
                  ? new UnavailableException(m, p, code, errors, detail, null)
                  : new OpenBaoException(m, p, code, errors, detail, null);
        };
    return Attempt.fail(e, retryable, retryAfter);
  }

  private static JsonNode parse(String text) {
    try {
      return OpenBaoClient.JSON.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  /** OpenBao's error strings, shortened, with the request's token blanked should one echo it. */
  private static List<String> errors(JsonNode json, OpenBaoRequest req) {
    List<String> out = new ArrayList<>();
    if (json == null || !json.path("errors").isArray()) {
      return out;
    }
    for (JsonNode e : json.path("errors")) {
      String s = e.isTextual() ? e.asText() : e.toString();
      if (req.token() != null && !req.token().isEmpty()) {
        s = s.replace(req.token().reveal(), "***");
      }
      if (s.length() > MAX_ERROR_CHARS) {
        s = s.substring(0, MAX_ERROR_CHARS) + "...";
      }
      out.add(s);
    }
    return out;
  }

  /** A 404 body worth keeping: anything beyond a bare errors list (KV v2 deleted versions). */
  private static JsonNode payload(JsonNode json) {
    if (json == null || !json.isObject()) {
      return null;
    }
    return json.size() == 1 && json.has("errors") ? null : json;
  }

  private static boolean isSealed(List<String> errors) {
    return errors.stream().anyMatch(e -> e.toLowerCase(Locale.ROOT).contains("sealed"));
  }

  /**
   * The delay {@code Retry-After} asks for (delta seconds or an HTTP date, RFC 9110 section
   * 10.2.3), capped; null when absent or unparseable.
   */
  private Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String h = header.trim();
    Duration d;
    try {
      d = Duration.ofSeconds(Math.max(0, Long.parseLong(h)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME);
        d = Duration.between(clock.instant(), at.toInstant());
        if (d.isNegative()) {
          d = Duration.ZERO;
        }
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
    return d.compareTo(RETRY_AFTER_CAP) > 0 ? RETRY_AFTER_CAP : d;
  }
}
