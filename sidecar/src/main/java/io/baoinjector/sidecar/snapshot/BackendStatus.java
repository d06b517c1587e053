package io.baoinjector.sidecar.snapshot;

import java.util.List;

/**
 * One store other than OpenBao as health reports it.
 *
 * @param stale the store could not be reached at its last attempt: its names serve their
 *     last-known-good values
 * @param unresolved its names (or {@code env-from:} paths) without a current value
 */
public record BackendStatus(boolean stale, List<String> unresolved) {
  public BackendStatus {
    unresolved = List.copyOf(unresolved);
  }
}
