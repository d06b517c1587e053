package io.baoinjector.agent.bootstrap;

import java.util.Map;

/**
 * The {@code ${bao:NAME}} / {@code ${bao:NAME:-default}} syntax in a config value. Only the {@code
 * bao:} prefix is ours: any other {@code ${...}} belongs to the application or its framework and is
 * copied through untouched.
 */
final class Template {
  static final String OPEN = "${bao:";

  /** Receives the names a resolution could not fill in (neither managed nor defaulted). */
  interface Unknown {
    void name(String name);
  }

  private Template() {}

  /** Whether {@code value} holds at least one of our placeholders. */
  static boolean holdsPlaceholder(Object value) {
    return value instanceof String && ((String) value).indexOf(OPEN) >= 0;
  }

  /**
   * {@code template} with every complete placeholder replaced: the managed value, else (when no
   * snapshot has arrived yet, {@code on-unavailable=env}) the real environment's, else the default,
   * else the placeholder itself, reported to {@code unknown} (which may be {@code null}).
   */
  static String resolve(
      String template, Map<String, String> managed, boolean snapshotArrived, Unknown unknown) {
    StringBuilder out = new StringBuilder(template.length() + 16);
    int from = 0;
    while (true) {
      int open = template.indexOf(OPEN, from);
      int close = open < 0 ? -1 : template.indexOf('}', open + OPEN.length());
      if (close < 0) {
        out.append(template, from, template.length());
        return out.toString();
      }
      out.append(template, from, open);
      String body = template.substring(open + OPEN.length(), close);
      int dash = body.indexOf(":-");
      String name = dash < 0 ? body : body.substring(0, dash);
      String value = managed.get(name);
      if (value == null && !snapshotArrived) {
        value = realEnvironment(name);
      }
      if (value == null && dash >= 0) {
        value = body.substring(dash + 2);
      }
      if (value == null) {
        if (unknown != null && snapshotArrived) {
          unknown.name(name);
        }
        value = template.substring(open, close + 1);
      }
      out.append(value);
      from = close + 1;
    }
  }

  private static String realEnvironment(String name) {
    if (name.isEmpty()) {
      return null;
    }
    try {
      return System.getenv(name);
    } catch (RuntimeException deniedBySecurityManager) {
      return null;
    }
  }
}
