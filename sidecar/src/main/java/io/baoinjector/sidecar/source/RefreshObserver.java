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

  /**
   * A backend answered a read or a version check: {@code outcome} is {@code read}, {@code
   * unchanged} (the version check saved a read) or the failure's kind in lower case ({@code
   * unavailable}, {@code denied}, {@code not_found}, {@code invalid}).
   */
  default void backendRequest(String backend, String outcome) {}
}
