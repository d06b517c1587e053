package io.baoinjector.sidecar.output.file;

import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.codes.ValueCode;
import io.baoinjector.sidecar.snapshot.Snapshot;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The {@code template} format with mustache.java: logic-less (a template cannot run code or read
 * files, unlike Freemarker or Velocity), small, no dependencies, maintained. Values are exposed by
 * name ({@code {{DB_PASSWORD}}}); properties by their dotted name ({@code
 * {{spring.datasource.password}}}, which mustache resolves through nested maps). Nothing is
 * HTML-escaped: the output is a config file, not a web page. A variable that names no value is an
 * error at render time, naming the variable, rather than mustache's silent empty string.
 */
final class TemplateRenderer implements Renderer {
  private final String key;
  private final Mustache mustache;
  private final Set<String> variables;

  private TemplateRenderer(String key, Mustache mustache) {
    this.key = key;
    this.mustache = mustache;
    this.variables = new LinkedHashSet<>();
    collect(mustache.getCodes(), variables);
  }

  static TemplateRenderer load(String key, Path template) throws IOException {
    if (template == null) {
      throw new IOException(key + ".template: format template needs a template file");
    }
    String text;
    try {
      text = Files.readString(template, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException(key + ".template: cannot read " + template + ": " + e.getMessage());
    }
    return compile(key, text, template.toString());
  }

  static TemplateRenderer compile(String key, String text, String name) throws IOException {
    DefaultMustacheFactory factory =
        new DefaultMustacheFactory() {
          @Override
          public void encode(String value, Writer writer) {
            try {
              writer.write(value);
            } catch (IOException e) {
              throw new MustacheException(e);
            }
          }
        };
    try (Reader r = new StringReader(text)) {
      return new TemplateRenderer(key, factory.compile(r, name));
    } catch (MustacheException e) {
      throw new IOException(key + ".template: " + name + ": " + e.getMessage());
    }
  }

  private static void collect(Code[] codes, Set<String> out) {
    if (codes == null) {
      return;
    }
    for (Code c : codes) {
      if (c instanceof ValueCode) {
        out.add(c.getName());
      }
      collect(c.getCodes(), out);
    }
  }

  @Override
  public byte[] render(Snapshot s) throws IOException {
    Map<String, Object> scope = new LinkedHashMap<>();
    Map<String, String> flat = new LinkedHashMap<>(s.revealProperties());
    flat.putAll(s.revealValues());
    for (Map.Entry<String, String> e : s.revealProperties().entrySet()) {
      nest(scope, e.getKey(), e.getValue());
    }
    scope.putAll(s.revealValues());
    for (String v : variables) {
      if (!flat.containsKey(v)) {
        throw new IOException(
            key
                + ".template: {{"
                + v
                + "}} names no mapped value (add it to secrets: or properties:)");
      }
    }
    StringWriter w = new StringWriter();
    try {
      mustache.execute(w, scope).flush();
    } catch (MustacheException e) {
      throw new IOException(key + ".template: rendering failed: " + e.getClass().getSimpleName());
    }
    return w.toString().getBytes(StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private static void nest(Map<String, Object> scope, String dotted, String value) {
    String[] parts = dotted.split("\\.");
    Map<String, Object> m = scope;
    for (int i = 0; i < parts.length - 1; i++) {
      Object next = m.get(parts[i]);
      if (!(next instanceof Map)) {
        if (next != null) {
          return; // a value already sits where a branch would go; the flat name still checks
        }
        next = new LinkedHashMap<String, Object>();
        m.put(parts[i], next);
      }
      m = (Map<String, Object>) next;
    }
    if (!(m.get(parts[parts.length - 1]) instanceof Map)) {
      m.put(parts[parts.length - 1], value);
    }
  }
}
