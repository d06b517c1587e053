package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.baoinjector.shared.Reference;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Binds scanned YAML into {@link ConfigFile} with jackson-databind, and turns every binding failure
 * into today's one-line {@link ConfigException}: the path from {@link
 * JsonMappingException#getPath()}, the line from the scan (or the exception's location). Each value
 * type has one strict deserializer here, so a component's type is its check.
 */
final class Binder {
  private static final String CONTEXT = "context";

  private static final ObjectReader READER =
      YAMLMapper.builder(YamlScan.FACTORY)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
          .addModule(
              new SimpleModule()
                  .addDeserializer(String.class, new Leaf<>(String.class, null, Binder::text))
                  .addDeserializer(Boolean.class, new Leaf<>(Boolean.class, "true", Binder::bool))
                  .addDeserializer(Integer.class, new Leaf<>(Integer.class, "1000", Binder::id))
                  .addDeserializer(Duration.class, new Leaf<>(Duration.class, "30s", Binder::dur))
                  .addDeserializer(
                      Path.class, new Leaf<>(Path.class, "/path/to/file", Binder::path))
                  .addDeserializer(Reference.class, new Ref()))
          .build()
          .readerFor(ConfigFile.class);

  private Binder() {}

  static ConfigFile bind(String yaml, LoadContext ctx) {
    try {
      return READER.withAttribute(CONTEXT, ctx).readValue(yaml);
    } catch (JsonMappingException e) {
      throw translate(e, ctx);
    } catch (IOException e) {
      // the scan already parsed the same text
      throw new ConfigException(ctx.fileName(), 0, null, "cannot parse: " + e.getMessage(), null);
    }
  }

  /** A value's own problem, raised while binding it; the translator adds file, line and key. */
  static final class Problem extends JsonMappingException {
    private static final long serialVersionUID = 1L;
    final String problem;
    final String fix;

    Problem(JsonParser p, String problem, String fix) {
      super(p, problem);
      this.problem = problem;
      this.fix = fix;
    }
  }

  private interface Convert<T> {
    T apply(String text, JsonParser p, DeserializationContext ctxt) throws Problem;
  }

  /** One scalar value: its text as written (a list, a mapping or no value is an error). */
  private static final class Leaf<T> extends StdDeserializer<T> implements ContextualDeserializer {
    private static final long serialVersionUID = 1L;
    private final String example;
    private final transient Convert<T> convert;

    Leaf(Class<T> type, String example, Convert<T> convert) {
      super(type);
      this.example = example;
      this.convert = convert;
    }

    @Override
    @SuppressWarnings("unchecked")
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty prop) {
      String d = prop == null ? null : prop.getMetadata().getDescription();
      return d == null ? this : new Leaf<>((Class<T>) handledType(), d, convert);
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t.isStructStart()) {
        throw notPlain(p, p.getParsingContext().getParent().inArray(), YamlScan.kind(t));
      }
      return convert.apply(p.getText(), p, ctxt);
    }

    @Override
    public T getNullValue(DeserializationContext ctxt) throws Problem {
      JsonParser p = ctxt.getParser();
      if (p.getParsingContext().inArray()) {
        throw notPlain(p, true, "no value");
      }
      throw new Problem(p, "has no value", "write a value like " + example + " or remove the key");
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return null;
    }

    private Problem notPlain(JsonParser p, boolean inList, String kind) {
      return inList
          ? new Problem(
              p, "expected a plain value, got " + kind, "write it as a list, like " + example)
          : new Problem(
              p, "expected one value like " + example + ", got " + kind, "write a single value");
    }
  }

  private static String text(String s, JsonParser p, DeserializationContext c) {
    return s;
  }

  private static Boolean bool(String s, JsonParser p, DeserializationContext c) throws Problem {
    // a quoted "true" is still plainly meant as true; YAML 1.1's yes/on are not booleans here
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new Problem(p, "expected true or false, got \"" + s + "\"", "write true or false");
  }

  private static Integer id(String s, JsonParser p, DeserializationContext c) throws Problem {
    if (s.matches("\\d{1,10}") && Long.parseLong(s) <= Integer.MAX_VALUE) {
      return Integer.parseInt(s);
    }
    throw new Problem(p, "\"" + s + "\" is not a numeric id", "write a number from 0, like 1000");
  }

  private static Duration dur(String s, JsonParser p, DeserializationContext c) throws Problem {
    try {
      return Durations.parse(s);
    } catch (IllegalArgumentException e) {
      throw new Problem(p, e.getMessage(), "write a duration like 30s, 5m, 1h or 500ms");
    }
  }

  private static Path path(String s, JsonParser p, DeserializationContext c) throws Problem {
    try {
      return ((LoadContext) c.getAttribute(CONTEXT)).resolve(s);
    } catch (IllegalArgumentException e) {
      throw new Problem(p, e.getMessage(), PATH_FIX.get(e.getMessage()));
    }
  }

  static final Map<String, String> PATH_FIX =
      Map.of(
          "empty path",
          "give a path or remove the key",
          "the path contains a NUL character",
          "remove it");

  /** An octal file mode; an unquoted 0400 arrives as a number with its text intact. */
  static final class Mode extends JsonDeserializer<Integer> {
    @Override
    public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String s = p.currentToken().isScalarValue() ? p.getText() : "";
      if (!s.matches("0?[0-7]{3}")) {
        if (!p.currentToken().isScalarValue()) {
          throw new Problem(
              p,
              "expected one value like \"0400\", got " + YamlScan.kind(p.currentToken()),
              "write a single value");
        }
        throw new Problem(
            p, "\"" + s + "\" is not an octal file mode", "write it quoted, like \"0400\"");
      }
      return Integer.parseInt(s, 8);
    }

    @Override
    public Integer getNullValue(DeserializationContext ctxt) throws Problem {
      throw new Problem(
          ctxt.getParser(), "has no value", "write a value like \"0400\" or remove the key");
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      return null;
    }
  }

  /** A {@code secrets:} or {@code properties:} value. */
  private static final class Ref extends JsonDeserializer<Reference> {
    @Override
    public Reference deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.currentToken().isScalarValue()) {
        throw notReference(p, YamlScan.kind(p.currentToken()));
      }
      try {
        return Reference.parse(p.getText());
      } catch (IllegalArgumentException e) {
        throw new Problem(p, e.getMessage(), null);
      }
    }

    @Override
    public Reference getNullValue(DeserializationContext ctxt) throws Problem {
      throw notReference(ctxt.getParser(), "no value");
    }

    private static Problem notReference(JsonParser p, String kind) {
      return new Problem(
          p,
          "expected a reference like secret/app/db#password, got " + kind,
          "write PATH#KEY or PATH#KEY@VERSION");
    }
  }

  /** The one translator: every binding failure becomes the message the reader used to give. */
  static ConfigException translate(JsonMappingException e, LoadContext ctx) {
    List<JsonMappingException.Reference> refs = e.getPath();
    String path = ConfigKeys.path(refs);
    int line =
        ctx.has(path) ? ctx.line(path) : e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    if (e instanceof Problem p) {
      return ctx.errorAt(line, path, p.problem, p.fix);
    }
    if (e instanceof UnrecognizedPropertyException u) {
      return ctx.errorAt(line, path, "unknown key", ConfigKeys.unknownKeyFix(u));
    }
    String kind = ctx.kind(path);
    JsonMappingException.Reference last = refs.isEmpty() ? null : refs.get(refs.size() - 1);
    if (e instanceof MismatchedInputException m && last != null && kind != null) {
      Class<?> target = m.getTargetType();
      if (target != null && Collection.class.isAssignableFrom(target)) {
        return ctx.errorAt(
            line,
            path,
            "expected a list, got " + kind,
            "write it as a list, like " + example(last));
      }
      if (last.getIndex() >= 0) {
        return ConfigKeys.itemError(ctx, path, line, kind);
      }
      if (target != null && (target.isRecord() || Map.class.isAssignableFrom(target))) {
        return ctx.errorAt(
            line,
            path,
            "expected keys under it, got " + kind,
            "indent the entries below " + last.getFieldName() + ":");
      }
    }
    return ctx.errorAt(
        line, path.isEmpty() ? null : path, "invalid: " + e.getOriginalMessage(), null);
  }

  private static String example(JsonMappingException.Reference r) {
    if (r.getFrom() instanceof Class<?> c && c.isRecord()) {
      for (var rc : c.getRecordComponents()) {
        if (ConfigKeys.name(rc).equals(r.getFieldName())) {
          JsonPropertyDescription d = rc.getAccessor().getAnnotation(JsonPropertyDescription.class);
          return d == null ? "" : d.value();
        }
      }
    }
    return "";
  }
}
