package io.baoinjector.sidecar.snapshot;

import java.time.Instant;

/**
 * One live lease as health and metrics show it. Never the lease id: it is a handle on the
 * credential (whoever has it and a token may renew or look it up).
 *
 * @param path the OpenBao path as the config names it
 * @param expiresAt when the lease expires unless renewed
 * @param hardExpiry when it expires whatever happens (its max TTL), or null while unknown
 * @param replaced true for a lease whose successor is already served (its overlap)
 */
public record LeaseStatus(String path, Instant expiresAt, Instant hardExpiry, boolean replaced) {}
