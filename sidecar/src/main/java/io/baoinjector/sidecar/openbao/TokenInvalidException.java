package io.baoinjector.sidecar.openbao;

import java.util.List;

/**
 * A 403 that {@code lookup-self} has confirmed: the token itself is dead (revoked, expired), not
 * denied one path. An outage for its callers, like {@link UnavailableException}: keep the last
 * values while a new login is tried; but the message says what happened instead of blaming the
 * network.
 */
public class TokenInvalidException extends UnavailableException {
  public static final String NO_LONGER_VALID = "token is no longer valid (revoked or expired)";

  public TokenInvalidException(String method, String path, String next, Throwable cause) {
    super(method, path, 403, List.of(), NO_LONGER_VALID + "; " + next, cause);
  }
}
