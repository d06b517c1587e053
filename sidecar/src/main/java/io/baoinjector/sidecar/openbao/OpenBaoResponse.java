package io.baoinjector.sidecar.openbao;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A successful (2xx) answer.
 *
 * @param status the HTTP status
 * @param body the parsed JSON body, or null when there was none (204)
 */
public record OpenBaoResponse(int status, JsonNode body) {
  @Override
  public String toString() {
    return "OpenBaoResponse[" + status + "]";
  }
}
