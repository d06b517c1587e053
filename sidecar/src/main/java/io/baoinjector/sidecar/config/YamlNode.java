package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.core.JsonToken;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML node that remembers the line it starts on, so every config error can point at it.
 * Jackson's tree model drops locations; this tree keeps them.
 */
sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

  /** 1-based line where the node starts. */
  int line();

  /** What the node is, for "expected X, got Y" messages. */
  String kind();

  /** One {@code key: value} pair; {@code line} is the key's line. */
  record Entry(String key, int line, YamlNode value) {}

  /** Keys in file order. */
  record Mapping(int line, Map<String, Entry> entries) implements YamlNode {
    @Override
    public String kind() {
      return "a mapping";
    }
  }

  record Sequence(int line, List<YamlNode> items) implements YamlNode {
    @Override
    public String kind() {
      return "a list";
    }
  }

  /**
   * @param token Jackson's type for it (string, number, boolean or null)
   * @param text the text as written, null for a YAML null
   */
  record Scalar(int line, JsonToken token, String text) implements YamlNode {
    boolean isNull() {
      return token == JsonToken.VALUE_NULL;
    }

    @Override
    public String kind() {
      return switch (token) {
        case VALUE_NULL -> "no value";
        case VALUE_TRUE, VALUE_FALSE -> "true/false";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
        default -> "a string";
      };
    }
  }
}
