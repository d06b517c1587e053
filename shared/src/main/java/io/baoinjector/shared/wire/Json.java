package io.baoinjector.shared.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, bounded JSON reader (RFC 8259) for the agent, which must stay JDK-only on Java 8.
 *
 * <p>The one hand-written parser the project allows: objects become {@link Map}s (insertion order,
 * unmodifiable), arrays {@link List}s, strings {@link String}, integers {@link Long}, other numbers
 * {@link Double}, and {@code true/false/null} as usual. Nesting is capped at {@value #MAX_DEPTH};
 * duplicate keys, trailing content, unescaped control characters and lone surrogates (escaped or
 * raw) are rejected. Error messages name the offset, never the text around it (it may be a secret).
 */
public final class Json {
  static final int MAX_DEPTH = 32;

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /** Parses a document whose top level must be an object. */
  public static Map<String, Object> parseObject(String text) throws WireFormatException {
    if (text == null) {
      throw new WireFormatException("json: no body");
    }
    Json json = new Json(text);
    json.skipSpace();
    if (json.peek() != '{') {
      throw json.error("expected an object");
    }
    Map<String, Object> result = json.object(1);
    json.skipSpace();
    if (json.pos != text.length()) {
      throw json.error("unexpected content after the document");
    }
    return result;
  }

  private Object value(int depth) throws WireFormatException {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
    skipSpace();
    char c = peek();
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character");
    }
  }

  private Map<String, Object> object(int depth) throws WireFormatException {
    Map<String, Object> map = new LinkedHashMap<>();
    if (!empty('}')) {
      do {
        skipSpace();
        if (peek() != '"') {
          throw error("expected a member name");
        }
        String key = string();
        skipSpace();
        expect(':');
        Object value = value(depth + 1);
        if (map.containsKey(key)) {
          throw error("duplicate member name");
        }
        map.put(key, value);
      } while (more('}'));
    }
    return Collections.unmodifiableMap(map);
  }

  private List<Object> array(int depth) throws WireFormatException {
    List<Object> list = new ArrayList<>();
    if (!empty(']')) {
      do {
        list.add(value(depth + 1));
      } while (more(']'));
    }
    return Collections.unmodifiableList(list);
  }

  /** Past the opening bracket at {@code pos}: true, and past {@code close}, when that follows. */
  private boolean empty(char close) throws WireFormatException {
    pos++;
    skipSpace();
    if (peek() != close) {
      return false;
    }
    pos++;
    return true;
  }

  /** After a member or an element: true past a {@code ','}, false past {@code close}. */
  private boolean more(char close) throws WireFormatException {
    skipSpace();
    char c = next();
    if (c != ',' && c != close) {
      pos--;
      throw error("expected ',' or '" + close + "'");
    }
    return c == ',';
  }

  private String string() throws WireFormatException {
    pos++; // '"'
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = next();
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("unescaped control character in a string");
      }
      boolean escaped = c == '\\';
      if (escaped) {
        char e = next();
        int simple = "\"\\/bfnrt".indexOf(e);
        if (simple >= 0) {
          sb.append("\"\\/\b\f\n\r\t".charAt(simple));
          continue;
        }
        if (e != 'u') {
          pos--;
          throw error("invalid escape");
        }
        c = hex4();
      }
      if (Character.isHighSurrogate(c)) {
        sb.append(c).append(lowSurrogate(escaped));
      } else if (Character.isLowSurrogate(c)) {
        pos -= escaped ? 6 : 1;
        throw error("lone surrogate in a string");
      } else {
        sb.append(c);
      }
    }
  }

  /**
   * The low half that must follow a high surrogate, written the same way (raw, or as an escape);
   * anything else is a lone surrogate, which no valid UTF-8 (so no value the sidecar read) holds.
   */
  private char lowSurrogate(boolean escaped) throws WireFormatException {
    int at = pos;
    if (!escaped && pos < text.length() && Character.isLowSurrogate(text.charAt(pos))) {
      return text.charAt(pos++);
    }
    if (escaped && text.startsWith("\\u", pos)) {
      pos += 2;
      char low = hex4();
      if (Character.isLowSurrogate(low)) {
        return low;
      }
    }
    pos = at - (escaped ? 6 : 1);
    throw error("lone surrogate in a string");
  }

  private char hex4() throws WireFormatException {
    if (pos + 4 > text.length()) {
      throw error("truncated \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos + i), 16);
      if (d < 0) {
        throw error("invalid \\u escape");
      }
      v = v * 16 + d;
    }
    pos += 4;
    return (char) v;
  }

  private Object number() throws WireFormatException {
    int start = pos;
    skip("-");
    if (peek() == '0') {
      pos++;
    } else {
      digits();
    }
    boolean integral = true;
    if (skip(".")) {
      integral = false;
      digits();
    }
    if (skip("eE")) {
      integral = false;
      skip("+-");
      digits();
    }
    String n = text.substring(start, pos);
    try {
      return integral ? (Object) Long.valueOf(n) : (Object) Double.valueOf(n);
    } catch (NumberFormatException e) {
      pos = start;
      throw error("number out of range");
    }
  }

  /** Past one digit or more: none is an invalid number. */
  private void digits() throws WireFormatException {
    int from = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    if (pos == from) {
      throw error("invalid number");
    }
  }

  /** Past one of {@code chars} when it stands at {@code pos}. */
  private boolean skip(String chars) {
    if (pos < text.length() && chars.indexOf(text.charAt(pos)) >= 0) {
      pos++;
      return true;
    }
    return false;
  }

  private Object literal(String word, Object value) throws WireFormatException {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected character");
    }
    pos += word.length();
    return value;
  }

  private void expect(char c) throws WireFormatException {
    if (next() != c) {
      pos--;
      throw error("expected '" + c + "'");
    }
  }

  private char peek() throws WireFormatException {
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    return text.charAt(pos);
  }

  private char next() throws WireFormatException {
    char c = peek();
    pos++;
    return c;
  }

  private void skipSpace() {
    while (skip(" \t\n\r")) {
      // JSON's four whitespace characters
    }
  }

  private WireFormatException error(String what) {
    return new WireFormatException("json: " + what + " at offset " + pos);
  }
}
