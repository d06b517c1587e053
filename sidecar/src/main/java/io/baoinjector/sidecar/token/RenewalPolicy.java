package io.baoinjector.sidecar.token;

import io.baoinjector.sidecar.openbao.TokenInvalidException;
import io.baoinjector.sidecar.openbao.UnavailableException;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/** When to renew, when renewing stops helping, and how long a failed attempt waits. */
final class RenewalPolicy {
  static final Duration MIN_RELOGIN_MARGIN = Duration.ofSeconds(5);

  /** The longest wait between logins while OpenBao cannot answer (see loginRetryDelay). */
  static final Duration OUTAGE_LOGIN_RETRY = Duration.ofSeconds(5);

  private final DoubleSupplier random;
  private final Duration minReloginMargin;

  RenewalPolicy(DoubleSupplier random, Duration minReloginMargin) {
    this.random = random;
    this.minReloginMargin = minReloginMargin;
  }

  /**
   * Renew (or, near the max TTL, log in again) at about 2/3 of the time left, jittered down to 60%
   * so a fleet started together does not renew together. Never later than 2/3: at least a third of
   * the TTL is left for retries, far above the 10% floor.
   */
  Duration nextDelay(Duration ttl) {
    long ms = ttl.toMillis();
    double factor = (2.0 / 3.0) * (0.9 + 0.1 * random.getAsDouble());
    return Duration.ofMillis(Math.max(1, (long) (ms * factor)));
  }

  /**
   * When to log in again with {@code left} until the token ends for good (its max TTL, or a token
   * that cannot be renewed): as {@link #nextDelay}, but never later than when a third of the
   * login's TTL (at least the minimum margin) is left, so the login has the time its retries need.
   * 2/3 of a TTL the max TTL has already cut short would leave only a sliver (1.4s of a 5s TTL was
   * seen).
   */
  Duration reloginDelay(Duration loginTtl, Duration left) {
    Duration margin = loginTtl.dividedBy(3);
    if (margin.compareTo(minReloginMargin) < 0) {
      margin = minReloginMargin;
    }
    Duration latest = left.minus(margin);
    if (latest.isNegative()) {
      return Duration.ZERO;
    }
    Duration d = nextDelay(left);
    return d.compareTo(latest) < 0 ? d : latest;
  }

  /**
   * The max TTL is biting: the renewal gave less than a fresh login did, or did not push the expiry
   * out. Renewing again would only shrink the TTL further; log in while time is left.
   */
  static boolean capped(Duration loginTtl, Duration remainingBefore, Duration renewedTtl) {
    boolean shrank = renewedTtl.compareTo(loginTtl) < 0;
    boolean stalled = renewedTtl.minus(remainingBefore).compareTo(Duration.ofSeconds(1)) < 0;
    return shrank || stalled;
  }

  /**
   * The backoff's next delay, capped at {@link #OUTAGE_LOGIN_RETRY} when OpenBao could not answer
   * (unreachable, sealed, 5xx): such an attempt costs OpenBao nothing, and a token that expired
   * during a long outage must come back within seconds of the unseal, not after the 30 s+ step the
   * backoff had reached (seen in the 60 s sealed fault scenario). A refused login (wrong secret id,
   * a revoked given token) keeps the full backoff; new credential files end it early.
   */
  static Duration loginRetryDelay(Duration backoffDelay, RuntimeException e) {
    boolean outage = e instanceof UnavailableException && !(e instanceof TokenInvalidException);
    return outage && backoffDelay.compareTo(OUTAGE_LOGIN_RETRY) > 0
        ? OUTAGE_LOGIN_RETRY
        : backoffDelay;
  }

  /**
   * A renewal retry that the backoff would put past the expiry is moved up to when 10% of the TTL
   * is left, so a transient failure does not cost the token. Only once: from then on the backoff
   * alone decides (and an expired token is replaced by a login, which backs off too).
   *
   * @param left until the token expires, or null for one that never does
   */
  static Duration beforeExpiry(Duration backoffDelay, Duration left, Duration loginTtl) {
    if (left == null) {
      return backoffDelay;
    }
    Duration late = left.minus(loginTtl.dividedBy(10));
    boolean sooner = late.compareTo(backoffDelay) < 0 && late.compareTo(Duration.ofSeconds(1)) >= 0;
    return sooner ? late : backoffDelay;
  }
}
