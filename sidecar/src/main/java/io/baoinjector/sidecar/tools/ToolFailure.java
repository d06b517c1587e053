package io.baoinjector.sidecar.tools;

import io.baoinjector.sidecar.config.ConfigException;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import java.io.PrintWriter;
import java.util.function.IntSupplier;

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

  /**
   * Runs a tool's body and returns its exit code: a failure or a config mistake is one line on
   * {@code err}, never a stack trace.
   */
  public static int run(PrintWriter out, PrintWriter err, IntSupplier body) {
    try {
      return body.getAsInt();
    } catch (ToolFailure e) {
      err.println("bao-injector: " + e.getMessage());
      return e.exit;
    } catch (ConfigException e) {
      err.println("bao-injector: " + e.getMessage());
      return 2;
    } catch (OpenBaoException e) {
      err.println("bao-injector: OpenBao: " + e.getMessage());
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }
}
