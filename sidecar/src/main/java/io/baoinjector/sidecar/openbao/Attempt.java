package io.baoinjector.sidecar.openbao;

import java.time.Duration;

/** The result of one attempt: a response, or a failure and whether to retry it. */
record Attempt(
    OpenBaoResponse response, OpenBaoException failure, boolean retryable, Duration retryAfter) {
  static Attempt ok(OpenBaoResponse r) {
    return new Attempt(r, null, false, null);
  }

  static Attempt fail(OpenBaoException e, boolean retryable, Duration retryAfter) {
    return new Attempt(null, e, retryable, retryAfter);
  }
}
