package io.baoinjector.sidecar.output.socket;

import io.baoinjector.sidecar.snapshot.Snapshot;
import java.util.concurrent.CompletableFuture;

/**
 * What {@code POST /v1/refresh} asks for: a round re-reading every KV path, started after the
 * request (the sidecar wires {@code Refresher::refreshNow}). Must not block.
 */
@FunctionalInterface
public interface RefreshTrigger {
  /** Answers 503 at once: a server without a refresher (tests that need none). */
  RefreshTrigger NONE =
      () -> CompletableFuture.failedFuture(new IllegalStateException("refresh is not available"));

  /**
   * Completes with the snapshot the round published, or exceptionally with why it could not reach
   * OpenBao (the message is shown to the caller: it must hold no secret).
   */
  CompletableFuture<Snapshot> refreshNow();
}
