package io.baoinjector.sidecar.tools;

/**
 * A tool stopped: one line for stderr (names and paths, never a value) and its exit code, 1 for a
 * runtime failure, 2 for a usage or config mistake the user fixes.
 */
public final class ToolFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public final int exit;

  public ToolFailure(int exit, String message) {
    super(message);
    this.exit = exit;
  }

  static ToolFailure usage(String message) {
    return new ToolFailure(2, message);
  }

  static ToolFailure runtime(String message) {
    return new ToolFailure(1, message);
  }
}
