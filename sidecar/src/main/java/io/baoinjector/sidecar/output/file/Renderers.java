package io.baoinjector.sidecar.output.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.shared.Dotenv;
import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.snapshot.Snapshot;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The renderers of the fixed formats; templates live in {@link TemplateRenderer}. */
final class Renderers {
  private static final Logger log = LoggerFactory.getLogger(Renderers.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Renderers() {}

  static Renderer of(String key, OutputSettings.FileSpec spec) throws IOException {
    OutputSettings.Format f = spec.format();
    if (f == null) {
      throw new IOException(
          key + ".format: missing; use dotenv, properties, json, raw or template");
    }
    switch (f) {
      case DOTENV:
        return dotenv(key, spec.names());
      case PROPERTIES:
        return s -> properties(select(key, s, spec.names(), true));
      case JSON:
        return s -> json(select(key, s, spec.names(), false));
      case RAW:
        if (spec.name() == null || spec.name().isEmpty()) {
          throw new IOException(key + ".name: format raw needs the one name whose value it holds");
        }
        return s ->
            select(key, s, List.of(spec.name()), false)
                .get(spec.name())
                .getBytes(StandardCharsets.UTF_8);
      case TEMPLATE:
        return TemplateRenderer.load(key, spec.template());
      default:
        throw new IOException(key + ".format: unsupported " + f);
    }
  }

  /**
   * The plain values a file holds: {@code names} looked up among values, then properties; null
   * names means every value (or, for the properties format, every property).
   */
  static Map<String, String> select(
      String key, Snapshot s, List<String> names, boolean propertiesByDefault) throws IOException {
    if (names == null) {
      return propertiesByDefault ? s.revealProperties() : s.revealValues();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String n : names) {
      Snapshot.Entry e = s.entry(n);
      if (e == null) {
        throw new IOException(
            key + ".names: '" + n + "' is not a mapped name (add it to secrets: or properties:)");
      }
      out.put(n, e.value().reveal());
    }
    return out;
  }

  private static Renderer dotenv(String key, List<String> names) {
    Set<String> warned = ConcurrentHashMap.newKeySet();
    return s -> {
      Dotenv.Encoded e;
      try {
        e = Dotenv.encode(select(key, s, names, false));
      } catch (IllegalArgumentException bad) {
        throw new IOException(key + ": " + bad.getMessage());
      }
      for (String skipped : e.skipped()) {
        if (warned.add(skipped)) {
          log.warn(
              "{}: '{}' is not a valid environment variable name; left out of the dotenv file"
                  + " (use env-from sanitize: true, or read it from json or the socket)",
              key,
              skipped);
        }
      }
      return e.text().getBytes(StandardCharsets.UTF_8);
    };
  }

  /**
   * java.util.Properties escaping, one entry at a time so the order is stable and no date comment
   * (which would change every render) is written. ISO-8859-1 with {@code \\uXXXX} escapes, as
   * {@code Properties.load(InputStream)} expects.
   */
  static byte[] properties(Map<String, String> values) throws IOException {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      Properties one = new Properties();
      one.setProperty(e.getKey(), e.getValue());
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      one.store(out, null);
      String text = out.toString(StandardCharsets.ISO_8859_1);
      // store() starts with a "#<date>" line; the entry follows.
      b.append(text.substring(text.indexOf('\n') + 1));
    }
    return b.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] json(Map<String, String> values) throws IOException {
    try {
      StringWriter w = new StringWriter();
      JSON.writerWithDefaultPrettyPrinter().writeValue(w, values);
      return (w + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IOException("json rendering failed: " + e.getOriginalMessage());
    }
  }
}
