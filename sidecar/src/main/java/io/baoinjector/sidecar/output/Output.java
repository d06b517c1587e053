package io.baoinjector.sidecar.output;

import java.io.IOException;

/**
 * One way the sidecar hands secrets out (socket API, a rendered file, a child process). The wiring
 * place constructs each output, registers it with the snapshot hub, and starts it; {@code start}
 * fails fast on a bad destination so a misconfigured sidecar never reports ready.
 */
public interface Output {
  /**
   * Opens the destination (binds the socket, test-writes the file). Throws with one line naming the
   * config key and the fix.
   */
  void start() throws IOException;

  /** Stops accepting work and finishes what is in flight; idempotent. */
  void stop();

  /** True once this output has delivered the current values at least once. */
  boolean ready();

  /** One line for the startup summary, e.g. {@code socket /run/bao-injector/agent.sock (0660)}. */
  String describe();
}
