package io.baoinjector.sidecar.token;

import io.baoinjector.sidecar.SecretValue;
import java.util.Objects;

/**
 * What a reader of OpenBao needs from the token lifecycle: the token to send, and a verdict when a
 * read with it got a 403. {@link TokenManager} is the real one; {@link #fixed} serves tests and
 * one-shot commands.
 */
public interface TokenProvider {
  /** The token to send now; see {@link TokenManager#currentToken()}. */
  SecretValue currentToken();

  /** A read with {@code tokenUsed} got a 403; see {@link TokenManager#onForbidden(SecretValue)}. */
  ForbiddenVerdict onForbidden(SecretValue tokenUsed);

  /** Always {@code token}; a 403 is always the policy ({@link ForbiddenVerdict#DENIED}). */
  static TokenProvider fixed(SecretValue token) {
    Objects.requireNonNull(token, "token == null");
    return new TokenProvider() {
      @Override
      public SecretValue currentToken() {
        return token;
      }

      @Override
      public ForbiddenVerdict onForbidden(SecretValue tokenUsed) {
        return ForbiddenVerdict.DENIED;
      }
    };
  }
}
