package io.baoinjector.agent.transport;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the sidecar's {@code dotenv} files: {@code KEY='value'} lines, a {@code '} inside a value
 * written as {@code '\''} (POSIX shell quoting; a value may span lines). Blank lines and {@code #}
 * comments are allowed; anything else is an error naming the line, never its text (a secret).
 *
 * <p>Kept here, package-private, because the agent must stay JDK-only and Java 8; it reads exactly
 * what {@code shared.Dotenv} writes.
 */
final class DotenvReader {
  private final String text;
  private int pos;
  private int line = 1;

  private DotenvReader(String text) {
    this.text = text;
  }

  static Map<String, String> parse(String text) throws IOException {
    return new DotenvReader(text).entries();
  }

  private Map<String, String> entries() throws IOException {
    Map<String, String> out = new LinkedHashMap<String, String>();
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n') {
        pos++;
        line++;
      } else if (c == '#') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        int at = line;
        String name = name();
        if (out.containsKey(name)) {
          throw error(at, "variable " + name + " appears twice");
        }
        out.put(name, value(at));
      }
    }
    return out;
  }

  private String name() throws IOException {
    int start = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      boolean ok =
          c == '_'
              || (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (pos > start && c >= '0' && c <= '9');
      if (!ok) {
        break;
      }
      pos++;
    }
    if (pos == start || pos >= text.length() || text.charAt(pos) != '=') {
      throw error(line, "expected NAME='value'");
    }
    String name = text.substring(start, pos);
    pos++; // '='
    return name;
  }

  private String value(int at) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n') {
        return sb.toString();
      }
      if (c == '\'') {
        int close = text.indexOf('\'', pos + 1);
        if (close < 0) {
          throw error(at, "unterminated quote");
        }
        for (int i = pos + 1; i < close; i++) {
          if (text.charAt(i) == '\n') {
            line++;
          }
        }
        sb.append(text, pos + 1, close);
        pos = close + 1;
      } else if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '\'') {
        sb.append('\'');
        pos += 2;
      } else {
        throw error(at, "value must be single-quoted");
      }
    }
    return sb.toString();
  }

  private static IOException error(int line, String what) {
    return new IOException("dotenv line " + line + ": " + what);
  }
}
