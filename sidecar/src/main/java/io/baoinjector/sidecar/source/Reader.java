package io.baoinjector.sidecar.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import io.baoinjector.sidecar.openbao.TokenInvalidException;
import io.baoinjector.sidecar.openbao.UnavailableException;
import io.baoinjector.sidecar.token.ForbiddenVerdict;
import io.baoinjector.sidecar.token.TokenProvider;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Reads with the current token and the one 403 rule: a 403 is either a dead token or a policy that
 * denies the path, and only the token lifecycle can tell (one lookup-self shared by every caller).
 * RETRY: the token was replaced, read again once. DENIED: the 403 stands. UNAVAILABLE: OpenBao
 * could not be asked, which the refresher treats as an outage; TOKEN_INVALID likewise, with a
 * message that says the token is dead. Sources never log in themselves.
 *
 * <p>Not final: source tests script OpenBao's answers (a lease schedule over minutes) with it.
 */
class Reader {
  private final OpenBaoClient client;
  private final TokenProvider tokens;

  Reader(OpenBaoClient client, TokenProvider tokens) {
    this.client = client;
    this.tokens = tokens;
  }

  JsonNode get(String apiPath) {
    return call("GET", apiPath, (path, token) -> client.get(path, token));
  }

  JsonNode post(String apiPath, Object body) {
    return call("POST", apiPath, (path, token) -> client.post(path, body, token));
  }

  JsonNode put(String apiPath, Object body) {
    return call("PUT", apiPath, (path, token) -> client.put(path, body, token));
  }

  private JsonNode call(
      String method, String apiPath, BiFunction<String, SecretValue, JsonNode> send) {
    SecretValue token = tokens.currentToken();
    try {
      return send.apply(apiPath, token);
    } catch (PermissionDeniedException e) {
      ForbiddenVerdict v = tokens.onForbidden(token);
      if (v == ForbiddenVerdict.RETRY) {
        return send.apply(apiPath, tokens.currentToken());
      }
      if (v == ForbiddenVerdict.TOKEN_INVALID) {
        throw new TokenInvalidException(method, e.path(), "logging in again", e);
      }
      if (v == ForbiddenVerdict.UNAVAILABLE) {
        throw new UnavailableException(
            method, e.path(), 403, List.of(), "cannot tell a dead token from a denied path now", e);
      }
      throw e;
    }
  }
}
