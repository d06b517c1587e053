package io.baoinjector.sidecar.auth;

/**
 * Login cannot work as configured: a missing or empty credential file, a refused wrapping token.
 * The message is one line naming the config key, the file and the fix; it never holds a credential.
 */
public class AuthException extends RuntimeException {
  public AuthException(String message) {
    super(message);
  }

  public AuthException(String message, Throwable cause) {
    super(message, cause);
  }
}
