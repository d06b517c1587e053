package io.baoinjector.sidecar.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.sidecar.SecretValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one read of a backend returned: the whole payload, its keys, and the version it came from.
 * Holds values wrapped, so {@code toString} leaks nothing.
 *
 * @param text the payload as one value (an AWS secret string, a GCP payload, a file), or null when
 *     the store holds named values only (an Infisical folder)
 * @param keys the payload's keys: a JSON object's members (strings as they are, other values as
 *     JSON text), a dotenv file's names, an Infisical folder's secrets; empty when the payload is
 *     no object
 * @param version the store's version id of what was read (AWS version id, GCP version number), or
 *     null when the store has none
 */
public record BackendSecret(SecretValue text, Map<String, SecretValue> keys, String version) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public BackendSecret {
    keys = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(keys, "keys")));
  }

  /**
   * A payload that may be a JSON object: then its members are the keys too, so {@code NAME#KEY}
   * picks one and {@code NAME} alone is the whole text.
   */
  public static BackendSecret ofText(String text, String version) {
    Objects.requireNonNull(text, "text");
    Map<String, SecretValue> keys = new LinkedHashMap<>();
    String t = text.trim();
    if (t.startsWith("{")) {
      try {
        JsonNode n = JSON.readTree(t);
        if (n != null && n.isObject()) {
          n.properties()
              .forEach(
                  e -> {
                    JsonNode v = e.getValue();
                    if (!v.isNull()) {
                      keys.put(
                          e.getKey(), SecretValue.of(v.isTextual() ? v.asText() : v.toString()));
                    }
                  });
        }
      } catch (JsonProcessingException e) {
        // not JSON: one plain value (the parser's message could quote it, so it is dropped)
      }
    }
    return new BackendSecret(SecretValue.of(text), keys, version);
  }

  /** Named values only (an Infisical folder, a dotenv file without its text). */
  public static BackendSecret ofKeys(Map<String, String> values, String version) {
    Map<String, SecretValue> keys = new LinkedHashMap<>();
    values.forEach((k, v) -> keys.put(k, SecretValue.of(v)));
    return new BackendSecret(null, keys, version);
  }

  @Override
  public String toString() {
    return "BackendSecret[keys=" + keys.keySet() + ", version=" + version + "]";
  }
}
