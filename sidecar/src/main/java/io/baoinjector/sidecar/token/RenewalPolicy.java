package io.baoinjector.sidecar.token;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** When to renew and when renewing stops helping. */
final class RenewalPolicy {
  static final Duration MIN_RELOGIN_MARGIN = Duration.ofSeconds(5);

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
}
