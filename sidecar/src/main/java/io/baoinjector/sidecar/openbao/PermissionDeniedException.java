package io.baoinjector.sidecar.openbao;

import java.util.List;

/**
 * 403: the token is dead (expired, revoked) or its policy denies the path. Only {@code lookup-self}
 * can tell which; see {@code TokenManager.onForbidden()}.
 */
public class PermissionDeniedException extends OpenBaoException {
  public PermissionDeniedException(String method, String path, List<String> errors) {
    super(method, path, 403, errors, null, null);
  }
}
