package io.baoinjector.sidecar.openbao;

import java.util.List;

/**
 * The answer was not what OpenBao sends: malformed JSON, or a field missing or of the wrong type.
 * The message says what was wrong with the shape, never what the body held.
 */
public class BadResponseException extends OpenBaoException {
  public BadResponseException(String method, String path, int status, String detail) {
    super(method, path, status, List.of(), detail, null);
  }
}
