package io.baoinjector.sidecar.token;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** When to renew and when renewing stops helping. */
final class RenewalPolicy {
  private final DoubleSupplier random;

  RenewalPolicy(DoubleSupplier random) {
    this.random = random;
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
   * The max TTL is biting: the renewal gave less than a fresh login did, or did not push the expiry
   * out. Renewing again would only shrink the TTL further; log in while time is left.
   */
  static boolean capped(Duration loginTtl, Duration remainingBefore, Duration renewedTtl) {
    boolean shrank = renewedTtl.compareTo(loginTtl) < 0;
    boolean stalled = renewedTtl.minus(remainingBefore).compareTo(Duration.ofSeconds(1)) < 0;
    return shrank || stalled;
  }
}
