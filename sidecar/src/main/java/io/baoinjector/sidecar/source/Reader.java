package io.baoinjector.sidecar.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;

/**
 * Reads with the current token and the one 403 rule: ask the token manager once; if it replaced a
 * dead token, retry once; otherwise the 403 stands (the policy denies the path).
 */
final class Reader {
  private final OpenBaoClient client;
  private final Credentials credentials;

  Reader(OpenBaoClient client, Credentials credentials) {
    this.client = client;
    this.credentials = credentials;
  }

  JsonNode get(String apiPath) {
    try {
      return client.get(apiPath, credentials.token());
    } catch (PermissionDeniedException e) {
      if (!credentials.replacedAfterForbidden()) {
        throw e;
      }
      return client.get(apiPath, credentials.token());
    }
  }

  JsonNode put(String apiPath, Object body) {
    try {
      return client.put(apiPath, body, credentials.token());
    } catch (PermissionDeniedException e) {
      if (!credentials.replacedAfterForbidden()) {
        throw e;
      }
      return client.put(apiPath, body, credentials.token());
    }
  }
}
