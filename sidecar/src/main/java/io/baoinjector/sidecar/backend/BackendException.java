package io.baoinjector.sidecar.backend;

import java.util.Objects;

/**
 * A backend could not read. The message names the backend's secret and the store's own error text
 * (never a value, a token or a credential), so it is safe to log; the kind says what the sidecar
 * does next.
 */
public class BackendException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What the sidecar does about it. */
  public enum Kind {
    /**
     * The store could not be asked or asks to slow down (connection failure, timeout, 5xx, 429,
     * throttling, a login that failed for the same reasons): the backend is down, its names go
     * stale, and its rounds retry on the backoff.
     */
    UNAVAILABLE,
    /** The credentials may not read it (403, AccessDenied): unresolved, retried on its backoff. */
    DENIED,
    /** It does not exist (404, ResourceNotFound, a missing file): unresolved, named clearly. */
    NOT_FOUND,
    /** The store refused the request for another reason (400, a bad version stage). */
    INVALID
  }

  private final Kind kind;

  public BackendException(Kind kind, String message, Throwable cause) {
    // no suppression of the cause chain, but the cause's message is the backend's to keep clean
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public BackendException(Kind kind, String message) {
    this(kind, message, null);
  }

  public Kind kind() {
    return kind;
  }
}
