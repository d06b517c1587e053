package io.baoinjector.shared;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dotenv codec: POSIX shell syntax, one {@code KEY='value'} assignment per name, a {@code '}
 * inside a value written as {@code '\''}. Everything between single quotes is literal to a POSIX
 * shell, so every value without NUL reads back exactly through {@code set -a; . file}. A value may
 * span lines (a newline inside quotes is literal too).
 *
 * <p>python-dotenv treats {@code \\} and {@code \'} inside single quotes as escapes, so it reads
 * back exactly only the values free of backslashes and single quotes; Python users who need the
 * rest should read the {@code json} format.
 *
 * <p>JDK only, Java 8: the agent's file transport decodes with {@link #decode(String)}.
 */
public final class Dotenv {
  private Dotenv() {}

  /** What {@link #encode} produced, and the names it left out because they are not env names. */
  public static final class Encoded {
    private final String text;
    private final List<String> skipped;

    Encoded(String text, List<String> skipped) {
      this.text = text;
      this.skipped = Collections.unmodifiableList(skipped);
    }

    /** The file content (every line ends with a newline). */
    public String text() {
      return text;
    }

    /**
     * Names left out because a shell cannot carry them ({@link EnvNames#isValid}); the caller warns
     * once.
     */
    public List<String> skipped() {
      return skipped;
    }
  }

  /**
   * Encodes {@code values} in the map's iteration order as {@code KEY='value'} lines.
   *
   * @throws IllegalArgumentException when a value holds a NUL character; the message names the
   *     variable, never the value
   */
  public static Encoded encode(Map<String, String> values) {
    return encode(values, false);
  }

  /** As {@link #encode(Map)} with {@code export KEY='value'} lines, for {@code eval "$(…)"}. */
  public static Encoded encodeExport(Map<String, String> values) {
    return encode(values, true);
  }

  private static Encoded encode(Map<String, String> values, boolean export) {
    StringBuilder b = new StringBuilder();
    List<String> skipped = new ArrayList<String>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!EnvNames.isValid(e.getKey())) {
        skipped.add(e.getKey());
        continue;
      }
      b.append(export ? exportLine(e.getKey(), e.getValue()) : line(e.getKey(), e.getValue()));
    }
    return new Encoded(b.toString(), skipped);
  }

  /** One {@code KEY='value'} line with its newline. The name must be a valid env name. */
  public static String line(String name, String value) {
    if (!EnvNames.isValid(name)) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a valid environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
    }
    return name + "=" + quote(name, value) + "\n";
  }

  /** One {@code export KEY='value'} line with its newline. */
  public static String exportLine(String name, String value) {
    return "export " + line(name, value);
  }

  private static String quote(String name, String value) {
    if (value == null) {
      throw new IllegalArgumentException(name + ": value is null");
    }
    StringBuilder b = new StringBuilder(value.length() + 2);
    b.append('\'');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\0') {
        // The message names the variable only: the value is a secret.
        throw new IllegalArgumentException(
            name + ": value contains a NUL character, which no environment variable can hold");
      }
      if (c == '\'') {
        b.append("'\\''");
      } else {
        b.append(c);
      }
    }
    return b.append('\'').toString();
  }

  /**
   * Decodes a file in exactly the format {@link #encode} writes: {@code KEY='…'} assignments
   * (optionally prefixed by {@code export }), single-quoted segments joined by {@code \'}, blank
   * lines and {@code #} comment lines between assignments. Later assignments of a name win.
   *
   * @throws IllegalArgumentException naming the line number of anything else (never its content,
   *     which may be a secret)
   */
  public static Map<String, String> decode(String text) {
    Map<String, String> out = new LinkedHashMap<String, String>();
    int i = 0;
    int lineNo = 1;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\n') {
        i++;
        lineNo++;
        continue;
      }
      if (c == '\r' || c == ' ' || c == '\t') {
        i++;
        continue;
      }
      if (c == '#') {
        while (i < n && text.charAt(i) != '\n') {
          i++;
        }
        continue;
      }
      int start = lineNo;
      if (text.startsWith("export ", i)) {
        i += "export ".length();
      }
      int eq = i;
      while (eq < n && text.charAt(eq) != '=' && text.charAt(eq) != '\n') {
        eq++;
      }
      if (eq >= n || text.charAt(eq) != '=') {
        throw bad(start, "expected NAME='value'");
      }
      String name = text.substring(i, eq);
      if (!EnvNames.isValid(name)) {
        throw bad(start, "not a valid variable name");
      }
      i = eq + 1;
      StringBuilder value = new StringBuilder();
      while (i < n && text.charAt(i) != '\n') {
        char v = text.charAt(i);
        if (v == '\'') {
          int close = text.indexOf('\'', i + 1);
          if (close < 0) {
            throw bad(start, "unterminated single quote");
          }
          for (int k = i + 1; k < close; k++) {
            if (text.charAt(k) == '\n') {
              lineNo++;
            }
          }
          value.append(text, i + 1, close);
          i = close + 1;
        } else if (v == '\\' && i + 1 < n && text.charAt(i + 1) != '\n') {
          value.append(text.charAt(i + 1));
          i += 2;
        } else if (v == '\r' && (i + 1 >= n || text.charAt(i + 1) == '\n')) {
          i++;
        } else {
          throw bad(start, "unquoted characters in value (expected '...' segments)");
        }
      }
      out.put(name, value.toString());
    }
    return out;
  }

  private static IllegalArgumentException bad(int line, String what) {
    return new IllegalArgumentException("dotenv line " + line + ": " + what);
  }
}
