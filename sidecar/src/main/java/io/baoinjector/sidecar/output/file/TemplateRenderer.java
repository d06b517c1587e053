package io.baoinjector.sidecar.output.file;

import com.github.mustachejava.Binding;
import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.DefaultMustacheVisitor;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.MustacheVisitor;
import com.github.mustachejava.TemplateContext;
import com.github.mustachejava.codes.IterableCode;
import com.github.mustachejava.codes.NotIterableCode;
import com.github.mustachejava.codes.ValueCode;
import com.github.mustachejava.reflect.MapObjectHandler;
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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code template} format with mustache.java: logic-less, small, no dependencies, maintained.
 * Values are exposed by name ({@code {{DB_PASSWORD}}}); properties by their dotted name ({@code
 * {{spring.datasource.password}}}, which mustache resolves through nested maps). Nothing is
 * HTML-escaped: the output is a config file, not a web page.
 *
 * <p>Mustache's defaults are narrowed to what a secrets template needs, since its author is not
 * necessarily the sidecar's operator and the sidecar runs with its token on disk:
 *
 * <ul>
 *   <li>No partials ({@code {{> x}}}) or inheritance ({@code {{< x}}}): mustache.java reads them as
 *       files relative to the working directory (the container's {@code /}), so a template could
 *       copy any file the sidecar can read into an output. Refused when the template is loaded, in
 *       one line. Without them the template compiles from its text alone, from any directory.
 *   <li>Map lookups only ({@link MapObjectHandler}): the default handler calls public no-argument
 *       methods and reads fields of values ({@code {{DB_PASSWORD.toUpperCase}}}).
 *   <li>Every name the render looks up must resolve to a mapped value (tags, sections, inverted
 *       sections, names inside sections): mustache renders an unknown name as an empty string, we
 *       fail naming it. A name that resolves to a group of properties ({@code {{spring}}}, or
 *       {@code {{.}}} outside a section) would print a map of secrets and is refused too.
 * </ul>
 */
final class TemplateRenderer implements Renderer {
  private final String key;
  private final Mustache mustache;

  private TemplateRenderer(String key, Mustache mustache) {
    this.key = key;
    this.mustache = mustache;
  }

  static TemplateRenderer load(String key, Path template) throws IOException {
    if (template == null) {
      throw new IOException(key + ".template: format template needs a template file");
    }
    String text;
    try {
      text = Files.readString(template, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException(
          key + ".template: cannot read " + template + ": " + Destination.reason(e));
    }
    return compile(key, text, template.toString());
  }

  static TemplateRenderer compile(String key, String text, String name) throws IOException {
    Mustache m;
    try (Reader r = new StringReader(text)) {
      m = new Factory().compile(r, name);
    } catch (Refused e) {
      throw new IOException(
          ("%s.template: %s line %s: %s includes another template; partials are not supported,"
                  + " write the text inline")
              .formatted(key, name, e.line, e.tag));
    } catch (MustacheException e) {
      throw new IOException(key + ".template: " + name + ": " + e.getMessage());
    }
    if (hasTopLevelDot(m.getCodes())) {
      throw new IOException(
          ("%s.template: %s: {{.}} outside a section would print every value; name the value"
                  + " instead")
              .formatted(key, name));
    }
    return new TemplateRenderer(key, m);
  }

  /**
   * {@code {{.}}} (or {@code {{#.}}}) at the top level is the whole scope: mustache renders it
   * without a lookup, so the render-time check below never sees it.
   */
  private static boolean hasTopLevelDot(Code[] codes) {
    if (codes == null) {
      return false;
    }
    for (Code c : codes) {
      if (".".equals(c.getName())) {
        return true;
      }
      boolean namedSection =
          c instanceof IterableCode && !(c instanceof NotIterableCode) && c.getName() != null;
      if (!namedSection && hasTopLevelDot(c.getCodes())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public byte[] render(Snapshot s) throws IOException {
    Scope scope = new Scope();
    for (Map.Entry<String, String> e : s.revealProperties().entrySet()) {
      nest(scope, e.getKey(), e.getValue());
    }
    scope.putAll(s.revealValues());
    StringWriter w = new StringWriter();
    try {
      mustache.execute(w, scope).flush();
    } catch (MustacheException e) {
      throw new IOException(key + ".template: rendering failed: " + e.getClass().getSimpleName());
    }
    if (!scope.unresolved.isEmpty()) {
      throw new IOException(
          "%s.template: %s names no mapped value (add it to secrets: or properties:)"
              .formatted(key, scope.unresolved.iterator().next()));
    }
    if (!scope.groups.isEmpty()) {
      throw new IOException(
          ("%s.template: %s names a group of properties, not one value; name a leaf such as"
                  + " {{a.b.c}}")
              .formatted(key, scope.groups.iterator().next()));
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
          return; // a value already sits where a branch would go
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

  /** The root of one render; collects what the render looked up and could not use. */
  private static final class Scope extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;
    final transient Set<String> unresolved = new LinkedHashSet<>();
    final transient Set<String> groups = new LinkedHashSet<>();

    static Scope of(List<Object> scopes) {
      for (Object o : scopes) {
        if (o instanceof Scope) {
          return (Scope) o;
        }
      }
      throw new IllegalStateException("render without its scope");
    }
  }

  /** Map lookups only, recording every name that resolves to nothing (or to a map, as a value). */
  private static final class LookupOnly extends MapObjectHandler {
    @Override
    public Binding createBinding(String name, TemplateContext tc, Code code) {
      Binding b = super.createBinding(name, tc, code);
      String tag = tag(name, code);
      boolean value = code instanceof ValueCode;
      return scopes -> {
        Object o = b.get(scopes);
        if (o == null) {
          Scope.of(scopes).unresolved.add(tag);
        } else if (value && o instanceof Map) {
          Scope.of(scopes).groups.add(tag);
          return "";
        }
        return o;
      };
    }

    private static String tag(String name, Code code) {
      if (code instanceof NotIterableCode) {
        return "{{^" + name + "}}";
      }
      if (code instanceof IterableCode) {
        return "{{#" + name + "}}";
      }
      return "{{" + name + "}}";
    }
  }

  /** A partial or inheritance tag, refused when the template is compiled. */
  private static final class Refused extends MustacheException {
    private static final long serialVersionUID = 1L;
    final String tag;
    final int line;

    Refused(String tag, TemplateContext tc) {
      super(tag);
      this.tag = tag;
      this.line = tc == null ? 0 : tc.line();
    }
  }

  private static final class Factory extends DefaultMustacheFactory {
    Factory() {
      setObjectHandler(new LookupOnly());
    }

    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(value);
      } catch (IOException e) {
        throw new MustacheException(e);
      }
    }

    @Override
    public MustacheVisitor createMustacheVisitor() {
      return new DefaultMustacheVisitor(this) {
        @Override
        public void partial(TemplateContext tc, String variable, String indent) {
          throw new Refused("{{> " + variable.strip() + "}}", tc);
        }

        @Override
        public void dynamicPartial(TemplateContext tc, String variable, String indent) {
          throw new Refused("{{>* " + variable.strip() + "}}", tc);
        }

        @Override
        public void extend(TemplateContext tc, String variable, Mustache mustache) {
          throw new Refused("{{< " + variable.strip() + "}}", tc);
        }
      };
    }

    // Second line of defence: nothing in a template may reach the filesystem by name.
    @Override
    public Mustache compilePartial(String name) {
      throw new Refused("{{> " + name + "}}", null);
    }

    @Override
    public Reader getReader(String resourceName) {
      throw new Refused("{{> " + resourceName + "}}", null);
    }
  }
}
