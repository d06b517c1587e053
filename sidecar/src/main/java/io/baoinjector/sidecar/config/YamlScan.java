package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;

/**
 * One pass over Jackson's YAML tokens before binding: turns every YAML failure (syntax, duplicate
 * keys, aliases, nesting, several documents, an empty file, no top-level mapping) into a one-line
 * {@link ConfigException}, and records each key's line and value kind in the {@link LoadContext},
 * since the records bound afterwards keep neither.
 */
final class YamlScan {
  static final YAMLFactory FACTORY = YAMLFactory.builder().build();

  /**
   * The deepest nesting accepted. A real config nests four levels; the walk is recursive, and
   * thousands of {@code [} or {@code {a:} would end in a StackOverflowError.
   */
  static final int MAX_DEPTH = 32;

  private final LoadContext ctx;
  private final String file;
  private int depth;

  private YamlScan(LoadContext ctx) {
    this.ctx = ctx;
    this.file = ctx.fileName();
  }

  static void scan(String yaml, LoadContext ctx) {
    new YamlScan(ctx).root(yaml);
  }

  private void root(String yaml) {
    try (JsonParser p = FACTORY.createParser(yaml)) {
      JsonToken first = p.nextToken();
      if (first == null || first == JsonToken.VALUE_NULL) {
        throw new ConfigException(
            file, 0, null, "the file is empty", "see docs/configuration.md for an example");
      }
      int line = line(p);
      String kind = walk(p, first, "");
      JsonToken extra = p.nextToken();
      if (extra != null) {
        throw new ConfigException(
            file,
            line(p),
            null,
            "more than one YAML document",
            "keep one document: remove the second ---");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new ConfigException(
            file,
            line,
            null,
            "expected keys such as openbao:, auth: and secrets: at the top level, got " + kind,
            "see docs/configuration.md for an example");
      }
    } catch (JacksonException e) {
      throw syntaxError(e, yaml);
    } catch (IOException e) {
      // a String source does no I/O; this is for completeness
      throw new ConfigException(file, 0, null, "cannot parse: " + e.getMessage(), null);
    }
  }

  /** Walks the value starting at {@code t}; returns its kind for "expected X, got Y" messages. */
  private String walk(JsonParser p, JsonToken t, String path) throws IOException {
    int line = line(p);
    if (p instanceof YAMLParser y && y.isCurrentAlias()) {
      // Jackson hands an alias back as the plain text of its name, which would be a silent wrong
      // value
      throw new ConfigException(
          file,
          line,
          path.isEmpty() ? null : path,
          "YAML aliases (*" + p.getText() + ") are not supported",
          "write the value out in full");
    }
    if (t == JsonToken.START_OBJECT) {
      enter(line, path);
      ctx.recordStart(path, line);
      JsonToken next;
      while ((next = p.nextToken()) == JsonToken.FIELD_NAME) {
        String keyPath = path.isEmpty() ? p.currentName() : path + "." + p.currentName();
        int keyLine = line(p);
        if (ctx.has(keyPath)) {
          throw new ConfigException(
              file,
              keyLine,
              keyPath,
              "duplicate key (first on line " + ctx.line(keyPath) + ")",
              "keep one of them");
        }
        ctx.record(keyPath, keyLine, null);
        ctx.record(keyPath, keyLine, walk(p, p.nextToken(), keyPath));
      }
      depth--;
    } else if (t == JsonToken.START_ARRAY) {
      enter(line, path);
      JsonToken next;
      for (int i = 0; (next = p.nextToken()) != JsonToken.END_ARRAY; i++) {
        int itemLine = line(p);
        String itemPath = path + "[" + i + "]";
        ctx.record(itemPath, itemLine, walk(p, next, itemPath));
      }
      depth--;
    } else if (t.isScalarValue() && path.startsWith("backends.") && path.endsWith(".type")) {
      // references are bound before or after this block, in file order: their grammar is the type's
      ctx.recordBackendType(path.substring(9, path.length() - 5), p.getText());
    }
    return kind(t);
  }

  static String kind(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "a mapping";
      case START_ARRAY -> "a list";
      case VALUE_NULL -> "no value";
      case VALUE_TRUE, VALUE_FALSE -> "true/false";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      default -> "a string";
    };
  }

  private void enter(int line, String path) {
    if (++depth > MAX_DEPTH) {
      throw new ConfigException(
          file,
          line,
          path.isEmpty() ? null : path.length() > 120 ? path.substring(0, 120) + "…" : path,
          "nested more than " + MAX_DEPTH + " levels deep",
          "a config nests a few levels; check the brackets and indentation");
    }
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  private ConfigException syntaxError(JacksonException e, String yaml) {
    int line = 0;
    String problem = null;
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof org.yaml.snakeyaml.reader.ReaderException r) {
        // it has a position, not a line: count the lines before it
        int at =
            yaml.offsetByCodePoints(
                0, Math.min(r.getPosition(), yaml.codePointCount(0, yaml.length())));
        line = 1 + (int) yaml.substring(0, at).chars().filter(ch -> ch == '\n').count();
        problem = String.format("U+%04X, a control character, is not allowed", r.getCodePoint());
        break;
      }
      if (c instanceof org.yaml.snakeyaml.error.MarkedYAMLException m) {
        problem = m.getProblem();
        if (m.getProblemMark() != null) {
          line = m.getProblemMark().getLine() + 1;
        }
        break;
      }
    }
    if (problem == null) {
      problem = e.getOriginalMessage();
      JsonLocation loc = e.getLocation();
      line = loc == null ? 0 : Math.max(0, loc.getLineNr());
      if (problem != null && problem.startsWith("Expected a field name")) {
        // Jackson's text for a "? [a]: b" key names SnakeYAML's event classes
        problem = "a key must be a plain name, not a list or a mapping";
      }
    }
    return new ConfigException(
        file,
        line,
        null,
        "invalid YAML: " + firstLine(problem),
        "check the indentation and quoting on this line and the one before");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "syntax error";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }
}
