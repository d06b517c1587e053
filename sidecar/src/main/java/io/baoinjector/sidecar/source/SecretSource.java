package io.baoinjector.sidecar.source;

import java.time.Instant;

/**
 * One distinct secret path (and pinned version), shared by every name that refers to it: N names on
 * {@code secret/app/db} cost one read per change, and every reference to a dynamic secret shares
 * one lease.
 */
interface SecretSource {
  /** The path as the user typed it. */
  String path();

  /**
   * Brings the data up to date, reading only what is needed (a KV v2 version check, a lease
   * renewal). Returns what is current. Throws {@link io.baoinjector.sidecar.openbao
   * .OpenBaoException} on failure; the last good data stays in {@link #last()}.
   */
  SecretData refresh(Instant now);

  /** The last data read successfully, or null before the first success. */
  SecretData last();

  /**
   * When this source next needs attention on its own schedule (a lease), or null to follow the
   * refresh interval.
   */
  default Instant due() {
    return null;
  }

  /**
   * Forgets what makes a read skippable (a cached version), so the next refresh reads the data.
   * Called after an outage: the server that answers now may not be the one that answered before (a
   * restore, a failover to another cluster), so a matching version number proves nothing.
   */
  default void invalidate() {}
}
