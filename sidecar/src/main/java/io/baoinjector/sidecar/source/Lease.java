package io.baoinjector.sidecar.source;

import java.time.Duration;
import java.time.Instant;

/**
 * One lease of a dynamic secret and the arithmetic of its schedule. Pure: every method takes the
 * time, so tests drive it with any clock.
 *
 * <p>The hard expiry (the role's {@code max_ttl}, or the mount's) is learned from a renewal that
 * answers less than it asked for: the lease cannot be extended past it. Renewals ask for the TTL
 * plus the overlap and come every 2/3 of the first TTL, so the cap shows up at least {@code overlap
 * + ttl/3} before it is reached, before the successor is due. {@code sys/leases/lookup} cannot
 * tell: its {@code expire_time} is the current expiry, not the cap. A lease that is not renewable,
 * or whose renewal was refused, ends at its current expiry, which is then hard.
 */
final class Lease {
  private final String id;
  private final Duration ttl;
  private final Instant issuedAt;
  private boolean renewable;
  private Instant expiresAt;
  private Instant hardExpiry;
  private Instant renewAt;
  private int renewals;

  Lease(String id, Duration ttl, boolean renewable, Instant now) {
    this.id = id;
    this.ttl = ttl;
    this.issuedAt = now;
    this.renewable = renewable;
    this.expiresAt = now.plus(ttl);
    this.hardExpiry = renewable ? null : expiresAt;
    this.renewAt = now.plus(twoThirds(ttl));
  }

  /** The lease id: a credential's handle, never logged, never in health or metrics. */
  String id() {
    return id;
  }

  Instant expiresAt() {
    return expiresAt;
  }

  /** The expiry no renewal can move, or null while unknown. */
  Instant hardExpiry() {
    return hardExpiry;
  }

  int renewals() {
    return renewals;
  }

  boolean expired(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** What a renewal asks for, in whole seconds: the TTL plus the overlap (see the class doc). */
  long increment(Duration overlap) {
    return ceilSeconds(ttl.plus(overlap));
  }

  /** True when a renewal is due: renewable, its cap not yet known, and 2/3 of the TTL gone. */
  boolean renewDue(Instant now) {
    return renewable && hardExpiry == null && !now.isBefore(renewAt);
  }

  /** When the next renewal is due, or null when none will be asked for. */
  Instant renewTime() {
    return renewable && hardExpiry == null ? renewAt : null;
  }

  /** Records OpenBao's answer to a renewal that asked for {@code askedSeconds}. */
  void renewed(long askedSeconds, Duration got, boolean stillRenewable, Instant now) {
    renewals++;
    expiresAt = now.plus(got);
    if (got.getSeconds() < askedSeconds || !stillRenewable) {
      hardExpiry = expiresAt;
      renewable = false;
    }
    Duration every = got.compareTo(ttl) < 0 ? got : ttl;
    renewAt = now.plus(twoThirds(every));
  }

  /** A renewal was refused: the lease ends at its current expiry. */
  void renewalRefused() {
    renewable = false;
    hardExpiry = expiresAt;
  }

  /**
   * The overlap this lease gets: {@code configured}, but at most half of its whole life (issue to
   * hard expiry), so a successor's own overlap cannot start before its predecessor is gone and at
   * most two leases of a path are ever live. Null while the hard expiry is unknown.
   */
  Duration overlap(Duration configured) {
    if (hardExpiry == null) {
      return null;
    }
    Duration half = Duration.between(issuedAt, hardExpiry).dividedBy(2);
    return configured.compareTo(half) > 0 ? half : configured;
  }

  /** When the successor is read: the hard expiry minus the overlap; null while unknown. */
  Instant successorAt(Duration configured) {
    Duration o = overlap(configured);
    return o == null ? null : hardExpiry.minus(o);
  }

  /**
   * When this lease, replaced at {@code replacedAt}, is revoked: once its overlap has run from
   * then, and no later than a second before its hard expiry (so the revocation, not the expiry,
   * ends it); never before {@code replacedAt}.
   */
  Instant revokeAt(Instant replacedAt, Duration configured) {
    Instant end = expiresAt.minusSeconds(1);
    Duration o = overlap(configured);
    Instant at = o == null ? end : replacedAt.plus(o);
    at = at.isAfter(end) ? end : at;
    return at.isBefore(replacedAt) ? replacedAt : at;
  }

  private static Duration twoThirds(Duration d) {
    return d.multipliedBy(2).dividedBy(3);
  }

  private static long ceilSeconds(Duration d) {
    return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
  }

  @Override
  public String toString() {
    return "Lease[expiresAt=" + expiresAt + ", hardExpiry=" + hardExpiry + "]";
  }
}
