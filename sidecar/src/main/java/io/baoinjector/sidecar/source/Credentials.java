package io.baoinjector.sidecar.source;

import io.baoinjector.sidecar.SecretValue;

/**
 * What the sources need from the token lifecycle: the current token, and a verdict after a 403. A
 * 403 means either "the token is dead" or "the policy denies this path"; only the token manager can
 * tell (one lookup-self, shared by concurrent callers), so sources never log in themselves.
 */
public interface Credentials {
  /** The current token; blocks until the first login succeeded. */
  SecretValue token();

  /**
   * Called after a 403. Returns true when the token was dead and has been replaced (retry the read
   * now), false when the token is alive and the policy denies the path (mark it unresolved and
   * retry later with backoff).
   */
  boolean replacedAfterForbidden();
}
