package io.baoinjector.sidecar.token;

import io.baoinjector.sidecar.auth.Token;

/**
 * Sees the token lifecycle, for metrics. Gets {@link Token}s (whose {@code toString} shows only
 * accessor and TTL) and exceptions (whose messages carry no secrets). Called on the lifecycle's
 * thread: must be quick and must not throw.
 */
public interface TokenObserver {
  TokenObserver NOOP = new TokenObserver() {};

  default void onLogin(Token token) {}

  default void onLoginFailure(Exception e) {}

  default void onRenewal(Token token) {}

  default void onRenewalFailure(Exception e) {}

  /** A source reported a 403 and {@code lookup-self} was asked what it meant. */
  default void onForbiddenChecked(ForbiddenVerdict verdict) {}
}
