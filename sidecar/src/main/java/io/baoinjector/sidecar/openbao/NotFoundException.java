package io.baoinjector.sidecar.openbao;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * 404. KV v2 answers a deleted or destroyed version with 404 <em>and</em> a body carrying the
 * version's metadata; {@link #body()} keeps it for the caller (it is never in the message).
 */
public class NotFoundException extends OpenBaoException {
  private final transient JsonNode body;

  public NotFoundException(String method, String path, List<String> errors, JsonNode body) {
    super(method, path, 404, errors, null, null);
    this.body = body;
  }

  /** The parsed body when it was a JSON object other than a bare errors list, else null. */
  public JsonNode body() {
    return body;
  }
}
