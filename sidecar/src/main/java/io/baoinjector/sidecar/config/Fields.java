package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.core.JsonToken;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to one YAML mapping of the config, at a dotted path such as {@code
 * outputs.files[1]}. Rejects unknown keys on construction; every getter checks the type and turns a
 * mismatch into a {@link ConfigException} at the key's line. Absent keys read as null.
 */
final class Fields {
  private final LoadContext ctx;
  private final String path;
  private final YamlNode.Mapping map;
  private final ConfigKeys.Section section;

  Fields(LoadContext ctx, String path, YamlNode.Mapping map, ConfigKeys.Section section) {
    this.ctx = ctx;
    this.path = path;
    this.map = map;
    this.section = section;
    for (YamlNode.Entry e : map.entries().values()) {
      ctx.recordLine(keyPath(e.key()), e.line());
    }
    rejectUnknownKeys();
  }

  private void rejectUnknownKeys() {
    for (YamlNode.Entry e : map.entries().values()) {
      if (section.contains(e.key())) {
        continue;
      }
      String near = DidYouMean.closest(e.key(), section.keys());
      String fix;
      if (near != null) {
        fix = "did you mean " + near + "?";
      } else {
        List<ConfigKeys.Section> elsewhere = ConfigKeys.sectionsWith(e.key(), section);
        if (!elsewhere.isEmpty()) {
          fix =
              "it belongs under "
                  + elsewhere.get(0).path()
                  + ":, as "
                  + elsewhere.get(0).qualified(e.key());
        } else {
          fix = "remove it; keys here: " + String.join(", ", section.keys());
        }
      }
      throw ctx.errorAt(e.line(), keyPath(e.key()), "unknown key", fix);
    }
  }

  String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    known(key);
    return map.entries().containsKey(key);
  }

  int line(String key) {
    YamlNode.Entry e = map.entries().get(known(key));
    return e == null ? map.line() : e.line();
  }

  ConfigException error(String key, String problem, String fix) {
    return ctx.errorAt(line(key), keyPath(key), problem, fix);
  }

  private String known(String key) {
    if (!section.contains(key)) {
      throw new IllegalStateException(key + " is not registered in ConfigKeys." + section.path());
    }
    return key;
  }

  private YamlNode value(String key) {
    YamlNode.Entry e = map.entries().get(known(key));
    return e == null ? null : e.value();
  }

  /** The scalar at {@code key}, null when absent; an error when it is a list, a map or empty. */
  YamlNode.Scalar scalar(String key, String example) {
    YamlNode v = value(key);
    if (v == null) {
      return null;
    }
    if (v instanceof YamlNode.Scalar s) {
      if (!s.isNull()) {
        return s;
      }
      throw error(key, "has no value", "write a value like " + example + " or remove the key");
    }
    throw error(
        key, "expected one value like " + example + ", got " + v.kind(), "write a single value");
  }

  String string(String key, String example) {
    YamlNode.Scalar s = scalar(key, example);
    return s == null ? null : s.text();
  }

  Boolean bool(String key) {
    YamlNode.Scalar s = scalar(key, "true");
    if (s == null) {
      return null;
    }
    if (s.token() == JsonToken.VALUE_TRUE || s.token() == JsonToken.VALUE_FALSE) {
      return s.token() == JsonToken.VALUE_TRUE;
    }
    // a quoted "true" is still plainly meant as true
    if (s.text().equals("true") || s.text().equals("false")) {
      return Boolean.parseBoolean(s.text());
    }
    throw error(key, "expected true or false, got \"" + s.text() + "\"", "write true or false");
  }

  boolean bool(String key, boolean dflt) {
    Boolean b = bool(key);
    return b == null ? dflt : b;
  }

  /** A numeric uid or gid. */
  Integer id(String key) {
    YamlNode.Scalar s = scalar(key, "1000");
    if (s == null) {
      return null;
    }
    try {
      if (s.text().matches("\\d+")) {
        int n = Integer.parseInt(s.text());
        if (n >= 0) {
          return n;
        }
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw error(
        key, "\"" + s.text() + "\" is not a numeric id", "write a number from 0, like 1000");
  }

  /** A file path, resolved against the config file's directory. */
  Path path(String key) {
    String raw = string(key, "/path/to/file");
    if (raw == null) {
      return null;
    }
    if (raw.isBlank()) {
      throw error(key, "empty path", "give a path or remove the key");
    }
    if (raw.indexOf('\0') >= 0) {
      // Path.of would throw InvalidPathException, which is no config error
      throw error(key, "the path contains a NUL character", "remove it");
    }
    return ctx.resolve(raw);
  }

  Duration duration(String key, Duration dflt) {
    YamlNode.Scalar s = scalar(key, "30s");
    if (s == null) {
      return dflt;
    }
    try {
      return Durations.parse(s.text());
    } catch (IllegalArgumentException e) {
      throw error(key, e.getMessage(), "write a duration like 30s, 5m, 1h or 500ms");
    }
  }

  int mode(String key, int dflt) {
    YamlNode.Scalar s = scalar(key, "\"0400\"");
    if (s == null) {
      return dflt;
    }
    // an unquoted 0400 arrives as the integer token with its text intact; read it as chmod does
    if (!s.text().matches("0?[0-7]{3}")) {
      throw error(
          key, "\"" + s.text() + "\" is not an octal file mode", "write it quoted, like \"0400\"");
    }
    return Integer.parseInt(s.text(), 8);
  }

  /** One of {@code allowed}, as written. */
  String choice(String key, List<String> allowed) {
    String v = string(key, allowed.get(0));
    if (v == null || allowed.contains(v)) {
      return v;
    }
    if (v.isBlank()) {
      throw error(key, "has no value", "use one of " + String.join(", ", allowed));
    }
    String near = DidYouMean.closest(v, allowed);
    throw error(
        key,
        "unknown value \"" + v + "\"",
        "use one of "
            + String.join(", ", allowed)
            + (near == null ? "" : "; did you mean " + near + "?"));
  }

  /** A nested mapping with its own keys; an absent or empty one reads as a mapping with no keys. */
  Fields sectionOrEmpty(String key, ConfigKeys.Section keys) {
    YamlNode.Mapping m = mapping(key);
    int at = has(key) ? line(key) : 0;
    return new Fields(
        ctx, keyPath(key), m == null ? new YamlNode.Mapping(at, java.util.Map.of()) : m, keys);
  }

  /** A nested mapping with its own keys, or null when absent or empty. */
  Fields section(String key, ConfigKeys.Section keys) {
    YamlNode.Mapping m = mapping(key);
    return m == null ? null : new Fields(ctx, keyPath(key), m, keys);
  }

  /** A free-form mapping (secrets:, properties:), or null when absent or empty. */
  YamlNode.Mapping mapping(String key) {
    YamlNode v = value(key);
    if (v == null || (v instanceof YamlNode.Scalar s && s.isNull())) {
      return null;
    }
    if (v instanceof YamlNode.Mapping m) {
      return m;
    }
    throw error(
        key, "expected keys under it, got " + v.kind(), "indent the entries below " + key + ":");
  }

  /** The list at {@code key} if it is one, else null (for keys that take one value or a list). */
  YamlNode.Sequence sequenceOrNull(String key) {
    return value(key) instanceof YamlNode.Sequence q ? q : null;
  }

  /** A list, or null when absent or empty. */
  YamlNode.Sequence sequence(String key, String example) {
    YamlNode v = value(key);
    if (v == null || (v instanceof YamlNode.Scalar s && s.isNull())) {
      return null;
    }
    if (v instanceof YamlNode.Sequence q) {
      return q;
    }
    throw error(key, "expected a list, got " + v.kind(), "write it as a list, like " + example);
  }

  /** A list of plain values, or null when absent. */
  List<String> stringList(String key, String example) {
    YamlNode.Sequence q = sequence(key, example);
    if (q == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < q.items().size(); i++) {
      YamlNode item = q.items().get(i);
      if (!(item instanceof YamlNode.Scalar s) || s.isNull()) {
        throw ctx.errorAt(
            item.line(),
            keyPath(key) + "[" + i + "]",
            "expected a plain value, got " + item.kind(),
            "write it as a list, like " + example);
      }
      out.add(s.text());
    }
    return out;
  }
}
