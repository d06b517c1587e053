package io.baoinjector.sidecar.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.OpenBaoRequest;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import io.baoinjector.sidecar.openbao.TokenInvalidException;
import io.baoinjector.sidecar.openbao.UnavailableException;
import io.baoinjector.sidecar.token.ForbiddenVerdict;
import io.baoinjector.sidecar.token.TokenProvider;
import java.util.List;

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
    return call("GET", apiPath, null);
  }

  JsonNode post(String apiPath, Object body) {
    return call("POST", apiPath, body);
  }

  JsonNode put(String apiPath, Object body) {
    return call("PUT", apiPath, body);
  }

  private JsonNode call(String method, String apiPath, Object body) {
    SecretValue token = tokens.currentToken();
    try {
      return client.send(new OpenBaoRequest(method, apiPath, body, token)).body();
    } catch (PermissionDeniedException e) {
      ForbiddenVerdict v = tokens.onForbidden(token);
      if (v == ForbiddenVerdict.RETRY) {
        return client.send(new OpenBaoRequest(method, apiPath, body, tokens.currentToken())).body();
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
