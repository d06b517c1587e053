package io.baoinjector.sidecar.backend.infisical;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A machine identity's access token from universal auth, kept current on the caller's thread: the
 * first call logs in, a call past two thirds of the token's TTL renews it, and a token that has
 * expired, whose renewal was refused, or whose max TTL is near is replaced by a fresh login. The
 * credential files are read at every login, so a rotated client secret is picked up.
 *
 * <p>No background thread: the sidecar asks for secrets every round, far more often than tokens
 * expire (hours by default), and a token only needs to be good for the call at hand.
 */
final class UniversalAuth {
  private static final Logger log = LoggerFactory.getLogger(UniversalAuth.class);
  static final String LOGIN = "api/v1/auth/universal-auth/login";
  static final String RENEW = "api/v1/auth/token/renew";
  private static final int MAX_CREDENTIAL = 4096;

  private final String block;
  private final Path clientIdFile;
  private final Path clientSecretFile;
  private final InfisicalHttp http;
  private final Clock clock;

  private SecretValue token;
  private Instant loggedInAt;
  private Instant renewAt;
  private Instant expiresAt;
  private Instant maxExpiresAt;

  UniversalAuth(
      String block, Path clientIdFile, Path clientSecretFile, InfisicalHttp http, Clock clock) {
    this.block = block;
    this.clientIdFile = clientIdFile;
    this.clientSecretFile = clientSecretFile;
    this.http = http;
    this.clock = clock;
  }

  /** A token good for the next call. */
  SecretValue token() {
    Instant now = clock.instant();
    if (token == null || !now.isBefore(expiresAt)) {
      login();
    } else if (!now.isBefore(renewAt)) {
      if (maxExpiresAt != null && !now.isBefore(maxExpiresAt.minus(lifetimeMargin()))) {
        login(); // renewing cannot take it past its max TTL: a new token lasts longer
      } else {
        renew();
      }
    }
    return token;
  }

  /** Infisical refused the token (401): the next {@link #token()} logs in afresh. */
  void forget() {
    token = null;
  }

  private void login() {
    String what = "infisical backend " + block + ": universal-auth login";
    Map<String, String> body =
        Map.of(
            "clientId", read(clientIdFile, "client-id-file"),
            "clientSecret", read(clientSecretFile, "client-secret-file"));
    JsonNode answer = http.post(LOGIN, body, what);
    loggedInAt = clock.instant();
    accept(answer, what);
    log.info(
        "infisical backend {}: logged in with universal auth (token valid for {}s)",
        block,
        Duration.between(loggedInAt, expiresAt).toSeconds());
  }

  private void renew() {
    String what = "infisical backend " + block + ": token renewal";
    try {
      accept(http.post(RENEW, Map.of("accessToken", token.reveal()), what), what);
      log.debug("infisical backend {}: token renewed", block);
    } catch (BackendException e) {
      if (e.kind() == Kind.UNAVAILABLE) {
        throw e; // a login would fail the same way
      }
      log.info("infisical backend {}: renewal refused ({}); logging in again", block, e.kind());
      login();
    }
  }

  private void accept(JsonNode answer, String what) {
    JsonNode t = answer.path("accessToken");
    JsonNode ttl = answer.path("expiresIn");
    if (!t.isTextual() || t.asText().isEmpty() || !ttl.canConvertToLong()) {
      throw new BackendException(
          Kind.UNAVAILABLE, what + ": the answer has no accessToken and expiresIn");
    }
    Instant now = clock.instant();
    long seconds = ttl.asLong();
    token = SecretValue.of(t.asText());
    // 0 = no expiry: never renewed, replaced only when Infisical answers 401
    expiresAt = seconds > 0 ? now.plusSeconds(seconds) : Instant.MAX;
    renewAt = seconds > 0 ? now.plusSeconds(seconds * 2 / 3) : Instant.MAX;
    long max = answer.path("accessTokenMaxTTL").asLong(0);
    maxExpiresAt = max > 0 ? loggedInAt.plusSeconds(max) : null;
  }

  /** Near the max TTL means less than a third of a TTL left: a renewal would barely help. */
  private Duration lifetimeMargin() {
    return Duration.between(renewAt, expiresAt);
  }

  /** The file's text without one trailing newline; a missing or empty file names the file only. */
  private String read(Path file, String key) {
    String where = "backends." + block + "." + key + ": " + file;
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_CREDENTIAL + 1); // a wrong path (/dev/zero) must not fill the heap
    } catch (IOException | SecurityException e) {
      throw new BackendException(
          Kind.INVALID, where + ": cannot read it (" + e.getClass().getSimpleName() + ")");
    }
    if (bytes.length > MAX_CREDENTIAL) {
      throw new BackendException(Kind.INVALID, where + ": larger than 4 KiB, not a credential");
    }
    String text = new String(bytes, StandardCharsets.UTF_8).replaceFirst("\r?\n\\z", "");
    if (text.isEmpty()) {
      throw new BackendException(Kind.INVALID, where + ": the file is empty");
    }
    return text;
  }
}
