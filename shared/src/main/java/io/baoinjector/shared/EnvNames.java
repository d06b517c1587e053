package io.baoinjector.shared;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** What counts as an environment variable name that shells and dotenv files can carry. */
public final class EnvNames {
  private EnvNames() {}

  /** POSIX portable name: {@code [A-Za-z_][A-Za-z0-9_]*}. */
  public static boolean isValid(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          c == '_'
              || (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Names that make a program load or run other code before its own ({@code LD_PRELOAD}, {@code
   * PATH}, {@code BASH_ENV}, {@code JAVA_TOOL_OPTIONS}...): a key of a whole-secret read ({@code
   * env-from}) must not become one, or write access to one KV secret is code execution in the pod.
   */
  public static boolean isStartupHook(String name) {
    return name.startsWith("LD_")
        || name.startsWith("DYLD_")
        || name.startsWith("BASH_FUNC_")
        || STARTUP_HOOKS.contains(name);
  }

  private static final Set<String> STARTUP_HOOKS =
      new HashSet<String>(
          Arrays.asList(
              "PATH",
              "IFS",
              "ENV",
              "BASH_ENV",
              "SHELLOPTS",
              "BASHOPTS",
              "PS4",
              "PROMPT_COMMAND",
              "GLIBC_TUNABLES",
              "GCONV_PATH",
              "HOSTALIASES",
              "JAVA_TOOL_OPTIONS",
              "JDK_JAVA_OPTIONS",
              "_JAVA_OPTIONS",
              "CLASSPATH",
              "NODE_OPTIONS",
              "NODE_PATH",
              "PYTHONPATH",
              "PYTHONSTARTUP",
              "PYTHONHOME",
              "PERL5OPT",
              "PERL5LIB",
              "RUBYOPT",
              "RUBYLIB"));

  /** As envconsul's sanitize: upper-case, every non-alphanumeric to {@code _}, no leading digit. */
  public static String sanitize(String key) {
    StringBuilder b = new StringBuilder(key.length() + 1);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      b.append(alnum ? c : '_');
    }
    if (b.length() > 0 && Character.isDigit(b.charAt(0))) {
      b.insert(0, '_');
    }
    return b.toString().toUpperCase(Locale.ROOT);
  }
}
