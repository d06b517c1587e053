package io.baoinjector.shared;

import java.util.Locale;

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
