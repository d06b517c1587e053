package io.baoinjector.sidecar.backend;

import io.baoinjector.shared.Reference;

/**
 * One secret store other than OpenBao, opened from a {@code backends:} block. A backend only knows
 * how to log in, read a secret and tell cheaply whether it changed; the snapshot, outputs, health,
 * metrics, retries and backoff are the sidecar's. A backend never retries on its own (the SDK's
 * retries are off) and never logs a value.
 *
 * <p>Called from the sidecar's refresh thread, one call at a time.
 */
public interface Backend extends AutoCloseable {
  /**
   * Reads the secret {@code ref} names ({@link Reference#secret()}: its key is the sidecar's to
   * pick from the result).
   *
   * @throws BackendException on every failure, with a message that names the secret, never a value
   */
  BackendSecret read(Reference ref);

  /**
   * The version {@link #read} would return now, asked more cheaply than reading (AWS {@code
   * DescribeSecret}, GCP a version's metadata), or null when the store has no cheaper check: then
   * the sidecar reads every round and compares the data.
   *
   * @throws BackendException as {@link #read}
   */
  default String currentVersion(Reference ref) {
    return null;
  }

  /** Releases connections and threads. */
  @Override
  default void close() {}
}
