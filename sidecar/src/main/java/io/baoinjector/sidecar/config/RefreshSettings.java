package io.baoinjector.sidecar.config;

import java.time.Duration;

/**
 * The {@code refresh:} section, bound as it is.
 *
 * @param interval how often KV versions are checked (default 30s)
 */
public record RefreshSettings(Duration interval) {
  public static final RefreshSettings DEFAULTS = new RefreshSettings(null);

  public RefreshSettings {
    interval = interval == null ? Duration.ofSeconds(30) : interval;
  }
}
