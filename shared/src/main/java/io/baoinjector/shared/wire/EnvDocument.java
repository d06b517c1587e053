package io.baoinjector.shared.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of the socket API's {@code GET /v1/env}: {@code
 * {"instance":"…","revision":N,"values":{…},"properties":{…}}}, written by the sidecar ({@link
 * #encode}) and read by the agent ({@link #decode}), so the two cannot drift apart. Unknown members
 * are ignored so the sidecar can add some; the four above are required ({@code properties} may be
 * absent: empty).
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

  public static EnvDocument decode(String json) throws WireFormatException {
    return decode(Json.parseObject(json));
  }

  /** From a document already read by {@link Json#parseObject}. */
  public static EnvDocument decode(Map<String, Object> doc) throws WireFormatException {
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

  /**
   * The document as compact JSON (members in the order above, maps in their own order), escaped as
   * the sidecar's Jackson wrote it before this class owned the format: quote, backslash and {@code
   * b t n f r} as two-character escapes, other control characters and every UTF-16 surrogate
   * (paired or not) as six (backslash, {@code u}, four upper-case hex digits), everything else as
   * is (the caller writes UTF-8). A lone surrogate is written so; {@link #decode} rejects it.
   */
  public String encode() {
    StringBuilder sb = new StringBuilder("{\"instance\":");
    string(sb, instance);
    sb.append(",\"revision\":").append(revision).append(",\"values\":");
    object(sb, values);
    sb.append(",\"properties\":");
    object(sb, properties);
    return sb.append('}').toString();
  }

  private static void object(StringBuilder sb, Map<String, String> m) {
    sb.append('{');
    String sep = "";
    for (Map.Entry<String, String> e : m.entrySet()) {
      string(sb.append(sep), e.getKey());
      string(sb.append(':'), e.getValue());
      sep = ",";
    }
    sb.append('}');
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int shortForm = "\"\\\b\t\n\f\r".indexOf(c);
      if (shortForm >= 0) {
        sb.append('\\').append("\"\\btnfr".charAt(shortForm));
      } else if (c < 0x20 || Character.isSurrogate(c)) {
        sb.append(String.format("\\u%04X", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
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
