package io.baoinjector.sidecar.backend;

import io.baoinjector.sidecar.config.BackendSettings;

/**
 * Opens a {@link Backend} of one {@code type:}. Built-in factories live in the sidecar; a cloud
 * backend's factory lives in its own jar (with its SDK), found by {@link java.util.ServiceLoader}
 * on a class loader the sidecar opens only when the config names that type.
 */
public interface BackendFactory {
  /** The {@code type:} it serves, e.g. {@code aws-secrets-manager}. */
  String type();

  /**
   * Opens the backend of block {@code name}. Logs in lazily or here; a failure to reach the store
   * is no reason to throw (the first read says so), a setting the store refuses is.
   *
   * @throws BackendException for settings the SDK refuses
   */
  Backend open(String name, BackendSettings settings);
}
