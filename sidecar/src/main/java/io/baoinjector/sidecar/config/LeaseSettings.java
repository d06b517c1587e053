package io.baoinjector.sidecar.config;

import java.time.Duration;

/**
 * How leased secrets ({@code database/creds/app}) are replaced.
 *
 * @param overlap how long before a lease's hard expiry its successor is read (default 60s; at most
 *     half the lease's whole life, applied per lease)
 * @param revokeReplaced revoke a replaced lease once the overlap ends (default true)
 */
public record LeaseSettings(Duration overlap, boolean revokeReplaced) {
  public static final LeaseSettings DEFAULTS = new LeaseSettings(Duration.ofSeconds(60), true);
}
