package io.baoinjector.sidecar.config;

/**
 * A mistake in {@code sidecar.yaml} or the environment that feeds it. {@link #getMessage()} is one
 * line a user can act on, {@code FILE:LINE: KEY: PROBLEM (FIX)}, e.g. {@code sidecar.yaml:12:
 * auth.role-id-file: file not found: /etc/bao/role-id (create it or fix the path)}. The line is
 * left out when the value did not come from the file (a default or an environment variable), the
 * key when the problem is the file as a whole.
 *
 * <p>The CLI prints the message after {@code bao-injector: } and exits 2, never with a stack trace.
 * Messages never carry a secret value: the config holds references and file paths only, and a token
 * from the environment is never quoted.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final String key;

  /**
   * @param file the config file as the user named it (e.g. {@code sidecar.yaml})
   * @param line 1-based YAML line, or 0 when the value has no line
   * @param key dotted key path such as {@code outputs.files[1].format}, or null
   * @param problem what is wrong, without a trailing period
   * @param fix what to do about it, or null
   */
  public ConfigException(String file, int line, String key, String problem, String fix) {
    super(format(file, line, key, problem, fix));
    this.file = file;
    this.line = line;
    this.key = key;
  }

  private static String format(String file, int line, String key, String problem, String fix) {
    StringBuilder b = new StringBuilder();
    b.append(file);
    if (line > 0) {
      b.append(':').append(line);
    }
    b.append(": ");
    if (key != null) {
      b.append(key).append(": ");
    }
    b.append(problem);
    if (fix != null) {
      b.append(" (").append(fix).append(')');
    }
    // one line, whatever a YAML library or a file name put into the pieces
    return b.toString().replace("\r", " ").replace("\n", " ");
  }

  /** The config file as the user named it. */
  public String file() {
    return file;
  }

  /** The 1-based YAML line, or 0 when the problem has no line. */
  public int line() {
    return line;
  }

  /** The dotted key path, or null when the problem is the file as a whole. */
  public String key() {
    return key;
  }
}
