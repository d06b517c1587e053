package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a {@link YamlNode} tree from Jackson's YAML token stream, keeping each token's line. Turns
 * every YAML failure (syntax, duplicate keys, aliases, several documents, an empty file) into a
 * one-line {@link ConfigException}.
 */
final class YamlTreeReader {
  private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

  /**
   * The deepest nesting accepted. A real config nests four levels; the tree is built by recursion,
   * and thousands of {@code [} or {@code {a:} would end in a StackOverflowError.
   */
  static final int MAX_DEPTH = 32;

  private final String file;
  private int depth;

  private YamlTreeReader(String file) {
    this.file = file;
  }

  /** The top-level mapping of {@code yaml}; {@code file} names it in messages. */
  static YamlNode.Mapping read(String yaml, String file) {
    return new YamlTreeReader(file).readRoot(yaml);
  }

  private YamlNode.Mapping readRoot(String yaml) {
    try (JsonParser p = FACTORY.createParser(yaml)) {
      JsonToken first = p.nextToken();
      if (first == null || first == JsonToken.VALUE_NULL) {
        throw new ConfigException(
            file, 0, null, "the file is empty", "see docs/configuration.md for an example");
      }
      YamlNode root = node(p, first, "");
      JsonToken extra = p.nextToken();
      if (extra != null) {
        throw new ConfigException(
            file,
            line(p),
            null,
            "more than one YAML document",
            "keep one document: remove the second ---");
      }
      if (root instanceof YamlNode.Mapping m) {
        return m;
      }
      throw new ConfigException(
          file,
          root.line(),
          null,
          "expected keys such as openbao:, auth: and secrets: at the top level, got " + root.kind(),
          "see docs/configuration.md for an example");
    } catch (JacksonException e) {
      throw syntaxError(e);
    } catch (IOException e) {
      // a String source does no I/O; this is for completeness
      throw new ConfigException(file, 0, null, "cannot parse: " + e.getMessage(), null);
    }
  }

  private YamlNode node(JsonParser p, JsonToken t, String path) throws IOException {
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
    switch (t) {
      case START_OBJECT:
        enter(line, path);
        YamlNode.Mapping m = mapping(p, line, path);
        depth--;
        return m;
      case START_ARRAY:
        enter(line, path);
        ArrayList<YamlNode> items = new ArrayList<>();
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
          items.add(node(p, next, path + "[" + items.size() + "]"));
        }
        depth--;
        return new YamlNode.Sequence(line, items);
      default:
        String text = t == JsonToken.VALUE_NULL ? null : p.getText();
        return new YamlNode.Scalar(line, t, text);
    }
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

  private YamlNode.Mapping mapping(JsonParser p, int line, String path) throws IOException {
    Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
    JsonToken next;
    while ((next = p.nextToken()) == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      int keyLine = line(p);
      String keyPath = path.isEmpty() ? key : path + "." + key;
      if (entries.containsKey(key)) {
        throw new ConfigException(
            file,
            keyLine,
            keyPath,
            "duplicate key (first on line " + entries.get(key).line() + ")",
            "keep one of them");
      }
      YamlNode value = node(p, p.nextToken(), keyPath);
      entries.put(key, new YamlNode.Entry(key, keyLine, value));
    }
    return new YamlNode.Mapping(line, entries);
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  private ConfigException syntaxError(JacksonException e) {
    int line = 0;
    String problem = null;
    for (Throwable c = e; c != null; c = c.getCause()) {
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
