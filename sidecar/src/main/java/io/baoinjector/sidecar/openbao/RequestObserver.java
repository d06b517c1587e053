package io.baoinjector.sidecar.openbao;

import java.time.Duration;

/**
 * Sees every HTTP exchange the client makes (each attempt, each redirect), for metrics. Paths are
 * not secret and are reported as sent (without query string); no token or body ever reaches it.
 * Called on the calling thread: must be quick and must not throw.
 */
@FunctionalInterface
public interface RequestObserver {
  RequestObserver NOOP = e -> {};

  void onRequest(Event event);

  /** What happened to one attempt. */
  enum Outcome {
    /** 2xx. */
    SUCCESS,
    /** A non-2xx answer that is final (4xx, 501, or retries exhausted). */
    ERROR,
    /** A 5xx/429 (or I/O failure) that will be retried. */
    RETRY,
    /** A 307 that will be followed. */
    REDIRECT,
    /** Connect failed or timed out: no status. */
    CONNECTION_FAILURE,
    /** 2xx whose body was not valid JSON. */
    BAD_RESPONSE
  }

  /**
   * @param method HTTP method
   * @param path API path without {@code /v1/} and without query string
   * @param status HTTP status, 0 when there was no answer
   * @param outcome what the client made of it
   * @param duration time for this attempt
   */
  record Event(String method, String path, int status, Outcome outcome, Duration duration) {}
}
