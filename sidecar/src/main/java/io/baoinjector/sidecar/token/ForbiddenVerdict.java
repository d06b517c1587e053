package io.baoinjector.sidecar.token;

/** What a 403 meant, from {@link TokenManager#onForbidden()}. */
public enum ForbiddenVerdict {
  /** The token was dead and a fresh login succeeded: retry the read now with the new token. */
  RETRY,
  /**
   * The token is alive, so the policy denies the path: mark that name unresolved and retry it later
   * with backoff. Never triggers a login.
   */
  DENIED,
  /**
   * lookup-self says the token is dead (revoked, expired) and the new login has not succeeded
   * (yet): keep the last known value and retry later with backoff; say "token no longer valid", not
   * "unreachable".
   */
  TOKEN_INVALID,
  /**
   * Could not tell or could not log in (OpenBao unreachable, login refused): keep the last known
   * value and retry later with backoff.
   */
  UNAVAILABLE
}
