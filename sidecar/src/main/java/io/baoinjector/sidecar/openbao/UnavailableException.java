package io.baoinjector.sidecar.openbao;

import java.util.List;

/**
 * OpenBao cannot serve right now: connection refused on every address, a timeout, or 5xx/429 still
 * failing after the client's retries. Callers keep their last-known-good state and try again later.
 */
public class UnavailableException extends OpenBaoException {
  public UnavailableException(
      String method, String path, int status, List<String> errors, String detail, Throwable cause) {
    super(method, path, status, errors, detail, cause);
  }
}
