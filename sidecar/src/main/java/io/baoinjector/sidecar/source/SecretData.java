package io.baoinjector.sidecar.source;

import io.baoinjector.sidecar.SecretValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one secret path holds right now: its keys (values wrapped, so {@code toString} leaks
 * nothing) and, for KV v2, the version they came from. An empty map with {@code present == false}
 * means the secret does not exist (deleted, destroyed, never written).
 */
record SecretData(Map<String, SecretValue> data, Integer version, boolean present) {
  SecretData {
    data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
  }

  static final SecretData ABSENT = new SecretData(Map.of(), null, false);

  /** Reads a JSON object of strings (non-string values are written as JSON text). */
  static Map<String, SecretValue> values(com.fasterxml.jackson.databind.JsonNode obj) {
    Map<String, SecretValue> m = new LinkedHashMap<>();
    obj.fields()
        .forEachRemaining(
            e -> {
              com.fasterxml.jackson.databind.JsonNode v = e.getValue();
              if (!v.isNull()) {
                m.put(e.getKey(), SecretValue.of(v.isTextual() ? v.asText() : v.toString()));
              }
            });
    return m;
  }
}
