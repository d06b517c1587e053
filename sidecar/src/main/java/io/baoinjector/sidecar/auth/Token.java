package io.baoinjector.sidecar.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.openbao.BadResponseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An OpenBao token and what OpenBao said about it. {@code toString} shows the accessor and TTL
 * only: the accessor identifies the token in audit logs without granting anything.
 *
 * @param clientToken the token itself
 * @param accessor its accessor ("" when OpenBao gave none)
 * @param ttl time left when OpenBao answered; {@link Duration#ZERO} means it never expires (root)
 * @param renewable whether {@code renew-self} can extend it
 * @param policies its policies
 */
public record Token(
    SecretValue clientToken,
    String accessor,
    Duration ttl,
    boolean renewable,
    List<String> policies) {

  public Token {
    Objects.requireNonNull(clientToken, "clientToken == null");
    accessor = accessor == null ? "" : accessor;
    Objects.requireNonNull(ttl, "ttl == null");
    policies = policies == null ? List.of() : List.copyOf(policies);
  }

  /** A token that does not expire (TTL 0, e.g. root): nothing to renew, never re-login. */
  public boolean neverExpires() {
    return ttl.isZero();
  }

  /**
   * Reads the {@code auth} block of a login or renew answer.
   *
   * @param answer the whole response body
   * @param method the request, for a message if the shape is wrong
   * @param path the request path, likewise
   */
  public static Token fromAuth(JsonNode answer, String method, String path) {
    JsonNode auth = answer == null ? null : answer.get("auth");
    if (auth == null || !auth.path("client_token").isTextual()) {
      throw new BadResponseException(method, path, 200, "no auth.client_token in the answer");
    }
    return new Token(
        SecretValue.of(auth.path("client_token").asText()),
        auth.path("accessor").asText(""),
        Duration.ofSeconds(auth.path("lease_duration").asLong(0)),
        auth.path("renewable").asBoolean(false),
        strings(auth.has("token_policies") ? auth.get("token_policies") : auth.get("policies")));
  }

  /**
   * Reads {@code auth/token/lookup-self}'s {@code data} for {@code token}.
   *
   * @param answer the whole response body
   */
  public static Token fromLookup(SecretValue token, JsonNode answer, String path) {
    JsonNode data = answer == null ? null : answer.get("data");
    if (data == null || !data.isObject() || !data.has("ttl")) {
      throw new BadResponseException("GET", path, 200, "no data.ttl in the lookup answer");
    }
    return new Token(
        token,
        data.path("accessor").asText(""),
        Duration.ofSeconds(data.path("ttl").asLong(0)),
        data.path("renewable").asBoolean(false),
        strings(data.get("policies")));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  /** The same token with a newer TTL (after renew or lookup). */
  public Token withTtl(Duration newTtl, boolean nowRenewable) {
    return new Token(clientToken, accessor, newTtl, nowRenewable, policies);
  }

  @Override
  public String toString() {
    return "Token[accessor=" + accessor + ", ttl=" + ttl + "]";
  }
}
