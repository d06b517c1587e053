package io.baoinjector.sidecar.tools.policy;

/**
 * {@code policy} or {@code approle-setup} stopped: one line for stderr (names and paths, never a
 * value) and the exit code, 1 for a runtime failure, 2 for a mistake the user fixes.
 */
final class PolicyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int exit;

  PolicyException(int exit, String message) {
    super(message);
    this.exit = exit;
  }
}
