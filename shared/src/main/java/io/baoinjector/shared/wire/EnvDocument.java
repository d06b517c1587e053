package io.baoinjector.shared.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of the socket API's {@code GET /v1/env}: {@code
 * {"instance":"…","revision":N,"values":{…},"properties":{…}}}. Unknown members are ignored so the
 * sidecar can add some; the four above are required ({@code properties} may be absent: empty).
 */
public final class EnvDocument {
  public final String instance;
  public final long revision;
  public final Map<String, String> values;
  public final Map<String, String> properties;

  public EnvDocument(
      String instance, long revision, Map<String, String> values, Map<String, String> properties) {
    this.instance = instance;
    this.revision = revision;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }

  public static EnvDocument parse(String json) throws WireFormatException {
    return of(Json.parseObject(json));
  }

  /** From a document already read by {@link Json#parseObject}. */
  public static EnvDocument of(Map<String, Object> doc) throws WireFormatException {
    Object instance = doc.get("instance");
    if (!(instance instanceof String)) {
      throw new WireFormatException("env: \"instance\" must be a string");
    }
    Object revision = doc.get("revision");
    if (!(revision instanceof Long) || (Long) revision < 0) {
      throw new WireFormatException("env: \"revision\" must be a non-negative integer");
    }
    return new EnvDocument(
        (String) instance,
        (Long) revision,
        strings(doc, "values", true),
        strings(doc, "properties", false));
  }

  private static Map<String, String> strings(
      Map<String, Object> doc, String member, boolean required) throws WireFormatException {
    Object section = doc.get(member);
    if (section == null && !required) {
      return Collections.emptyMap();
    }
    if (!(section instanceof Map)) {
      throw new WireFormatException("env: \"" + member + "\" must be an object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) section).entrySet()) {
      if (!(e.getValue() instanceof String)) {
        throw new WireFormatException(
            "env: \"" + member + "\" member " + e.getKey() + " must be a string");
      }
      out.put((String) e.getKey(), (String) e.getValue());
    }
    return out;
  }

  /** Names and revision only: values are secrets. */
  @Override
  public String toString() {
    return "EnvDocument{instance="
        + instance
        + ", revision="
        + revision
        + ", values="
        + values.keySet()
        + ", properties="
        + properties.keySet()
        + "}";
  }
}
