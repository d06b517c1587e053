package io.baoinjector.sidecar.openbao;

import java.util.List;

/**
 * OpenBao answered with an error, or could not be asked. The message names the method, the API
 * path, the status and OpenBao's own error strings; it never carries request or response values
 * (tokens, secret data), so it is safe to log.
 */
public class OpenBaoException extends RuntimeException {
  private final String method;
  private final String path;
  private final int status;
  private final List<String> errors;

  public OpenBaoException(
      String method, String path, int status, List<String> errors, String detail, Throwable cause) {
    super(message(method, path, status, errors, detail), cause);
    this.method = method;
    this.path = path;
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  private static String message(
      String method, String path, int status, List<String> errors, String detail) {
    StringBuilder b = new StringBuilder();
    b.append(method).append(' ').append(path).append(": ");
    if (status > 0) {
      b.append("status ").append(status);
    }
    if (detail != null && !detail.isEmpty()) {
      b.append(status > 0 ? ": " : "").append(detail);
    }
    if (!errors.isEmpty()) {
      b.append(": ")
          .append(String.join("; ", errors.stream().map(OpenBaoException::oneLine).toList()));
    }
    return b.toString();
  }

  /**
   * OpenBao's multi-error text ({@code "1 error occurred:\n\t* permission denied\n\n"}) as one line
   * ({@code "permission denied"}), so every log line and CLI message stays one line.
   */
  static String oneLine(String error) {
    String s = error.replaceAll("^\\s*\\d+ errors? occurred:\\s*", "");
    s = s.replaceAll("\\s*\\n\\s*\\*\\s*", "; ").replaceAll("^\\*\\s*", "");
    return s.replaceAll("\\s+", " ").replaceAll("^[;\\s]+|[;\\s]+$", "").trim();
  }

  /** The HTTP method, e.g. {@code GET}. */
  public String method() {
    return method;
  }

  /** The API path without {@code /v1/}. */
  public String path() {
    return path;
  }

  /** The HTTP status, or 0 when there was no answer (connection failure, timeout). */
  public int status() {
    return status;
  }

  /** OpenBao's {@code errors} strings (possibly empty). */
  public List<String> errors() {
    return errors;
  }
}
