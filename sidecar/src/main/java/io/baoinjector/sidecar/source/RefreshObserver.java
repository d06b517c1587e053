package io.baoinjector.sidecar.source;

import java.time.Duration;

/** Told about every refresh round, for metrics. */
public interface RefreshObserver {
  RefreshObserver NOOP = (ok, changed, took) -> {};

  /**
   * @param ok false when OpenBao could not be reached (the snapshot went stale)
   * @param changed true when the round published a new revision
   */
  void round(boolean ok, boolean changed, Duration took);

  /** A lease renewal of a dynamic secret succeeded or failed (a failure reads a new lease). */
  default void leaseRenewal(boolean ok) {}
}
