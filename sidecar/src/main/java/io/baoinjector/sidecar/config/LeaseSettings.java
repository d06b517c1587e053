package io.baoinjector.sidecar.config;

import java.time.Duration;

/**
 * How leased secrets ({@code database/creds/app}) are replaced: the {@code leases:} section, bound
 * as it is; a left-out key is null here and takes its default.
 *
 * @param overlap how long before a lease's hard expiry its successor is read (default 60s; at most
 *     half the lease's whole life, applied per lease)
 * @param revokeReplaced revoke a replaced lease once the overlap ends (default true)
 */
public record LeaseSettings(Duration overlap, Boolean revokeReplaced) {
  public static final LeaseSettings DEFAULTS = new LeaseSettings(null, null);

  public LeaseSettings {
    overlap = overlap == null ? Duration.ofSeconds(60) : overlap;
    revokeReplaced = revokeReplaced == null || revokeReplaced;
  }
}
