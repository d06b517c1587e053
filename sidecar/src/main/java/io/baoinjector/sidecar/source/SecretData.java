package io.baoinjector.sidecar.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.SecretValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What one secret path holds right now: its keys (values wrapped, so {@code toString} leaks
 * nothing) and, for KV v2, the version they came from. An empty map with {@code present == false}
 * means the secret does not exist (deleted, destroyed, never written).
 *
 * @param nullKeys keys whose JSON value is null (they have no value, and say so in messages)
 * @param gone why a KV v2 version is absent ({@code version 2 was destroyed}), or null when the
 *     secret was simply not found; for a backend, its own words for an absent secret
 * @param whole the payload as one value (a backend's secret string, a file), what a reference
 *     without {@code #KEY} reads; null for OpenBao
 */
record SecretData(
    Map<String, SecretValue> data,
    Integer version,
    boolean present,
    Set<String> nullKeys,
    String gone,
    SecretValue whole) {
  SecretData {
    data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    nullKeys = Collections.unmodifiableSet(new LinkedHashSet<>(nullKeys));
  }

  /** The value {@code key} names, or the whole payload for a null key. */
  SecretValue value(String key) {
    return key == null ? whole : data.get(key);
  }

  static final SecretData ABSENT = absent(null, null);

  /** No such secret; {@code version} and {@code gone} as above, or null. */
  static SecretData absent(Integer version, String gone) {
    return new SecretData(Map.of(), version, false, Set.of(), gone, null);
  }

  /** A present secret from a JSON object of strings (other values are kept as JSON text). */
  static SecretData of(JsonNode obj, Integer version) {
    Map<String, SecretValue> m = new LinkedHashMap<>();
    Set<String> nulls = new LinkedHashSet<>();
    obj.properties()
        .forEach(
            e -> {
              JsonNode v = e.getValue();
              if (v.isNull()) {
                nulls.add(e.getKey());
              } else {
                m.put(
                    e.getKey(),
                    SecretValue.of(wellFormed(v.isTextual() ? v.asText() : v.toString())));
              }
            });
    return new SecretData(m, version, true, nulls, null, null);
  }

  /**
   * {@code s} with each lone surrogate as U+FFFD, as OpenBao's own JSON reader stores one: only a
   * server that is not OpenBao sends one, and no UTF-8 output (the /v1/env document, a file, an
   * exec environment) can carry it.
   */
  static String wellFormed(String s) {
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean paired =
          Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1));
      if (paired) {
        if (b != null) {
          b.append(c).append(s.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        if (b == null) {
          b = new StringBuilder(s.length()).append(s, 0, i);
        }
        b.append('\ufffd');
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }

  /**
   * An absent KV v2 version, from the {@code metadata} OpenBao sends with the 404 of a deleted or
   * destroyed version (null or without it: not found).
   */
  static SecretData absentVersion(JsonNode metadata) {
    if (metadata == null || !metadata.path("version").isNumber()) {
      return ABSENT;
    }
    int v = metadata.path("version").asInt();
    if (metadata.path("destroyed").asBoolean(false)) {
      return absent(v, "version " + v + " was destroyed");
    }
    if (!metadata.path("deletion_time").asText("").isEmpty()) {
      return absent(v, "version " + v + " was deleted");
    }
    return ABSENT;
  }
}
