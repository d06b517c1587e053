package io.baoinjector.sidecar.config;

import java.time.Duration;

/**
 * @param interval how often KV versions are checked (default 30s)
 */
public record RefreshSettings(Duration interval) {}
