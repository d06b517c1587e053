package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.baoinjector.shared.Reference;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Binds scanned YAML into {@link SidecarConfig} with jackson-databind, and turns every binding
 * failure into today's one-line {@link ConfigException}: the path from {@link
 * JsonMappingException#getPath()}, the line from the scan (or the exception's location). Each value
 * type has one strict deserializer here, so a component's type is its check.
 */
final class Binder {
  private static final String CONTEXT = "context";

  private static final ObjectReader READER =
      YAMLMapper.builder(YamlScan.FACTORY)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
          .addModule(leaves())
          .build()
          .reader();

  private Binder() {}

  /** Every value type's one deserializer, with the example its messages show. */
  private static SimpleModule leaves() {
    SimpleModule m = new SimpleModule();
    leaf(m, String.class, null, (s, c) -> s);
    leaf(m, Boolean.class, "true", Scalars::bool);
    leaf(m, boolean.class, "true", Scalars::bool);
    leaf(m, Integer.class, "1000", Scalars::id);
    leaf(m, Duration.class, "30s", Scalars::duration);
    leaf(m, Path.class, "/path/to/file", Scalars::path);
    leaf(m, Reference.class, null, Scalars::reference);
    leaf(m, URI.class, null, (s, c) -> Scalars.uri(s));
    leaf(m, InetSocketAddress.class, null, Scalars::hostPort);
    choice(m, AuthSettings.Method.class);
    choice(m, OutputSettings.Format.class);
    return m;
  }

  private static <T> void leaf(SimpleModule m, Class<T> type, String example, Convert<T> convert) {
    m.addDeserializer(type, new Leaf<>(type, example, convert));
  }

  private static <E extends Enum<E>> void choice(SimpleModule m, Class<E> type) {
    leaf(m, type, null, (s, c) -> Scalars.choice(s, type));
  }

  static SidecarConfig bind(String yaml, LoadContext ctx, EnvDefaults env) {
    return bind(yaml, SidecarConfig.class, ctx, env);
  }

  /** A section the file leaves out, as if written empty, so its defaults live in one place. */
  static <T> T empty(Class<T> section, LoadContext ctx, EnvDefaults env) {
    return bind("{}", section, ctx, env);
  }

  private static <T> T bind(String yaml, Class<T> type, LoadContext ctx, EnvDefaults env) {
    InjectableValues inject =
        new InjectableValues() {
          @Override
          public Object findInjectableValue(
              Object key, DeserializationContext c, BeanProperty p, Object bean) {
            return env.inject((String) key, ctx);
          }
        };
    LoadContext outer = BINDING.get();
    BINDING.set(ctx);
    try {
      return READER.forType(type).withAttribute(CONTEXT, ctx).with(inject).readValue(yaml);
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof ConfigException c) {
        throw c; // a variable's value, already said in its own words
      }
      throw translate(e, ctx);
    } catch (IOException e) {
      // the scan already parsed the same text
      throw new ConfigException(ctx.fileName(), 0, null, "cannot parse: " + e.getMessage(), null);
    } finally {
      BINDING.set(outer);
    }
  }

  /** The load being bound on this thread, for a creator Jackson calls without its context. */
  private static final ThreadLocal<LoadContext> BINDING = new ThreadLocal<>();

  static LoadContext binding() {
    return BINDING.get();
  }

  /**
   * A value's own problem, raised while binding it; Jackson wraps it with the path, and the
   * translator adds file, line and key.
   */
  static final class Bad extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String fix;

    Bad(String problem, String fix) {
      super(problem, null, false, false);
      this.fix = fix;
    }
  }

  private interface Convert<T> {
    T apply(String text, LoadContext ctx);
  }

  /**
   * One scalar value, converted from its text as written; a list, a mapping or no value is an
   * error. A component's description (its example) shows in the messages.
   */
  static class Leaf<T> extends StdDeserializer<T> implements ContextualDeserializer {
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
        throw wrong(p.getParsingContext().getParent().inArray(), YamlScan.kind(t));
      }
      // a YAML true/True/yes/on is the boolean token, whatever its spelling
      boolean bool = handledType() == Boolean.class || handledType() == boolean.class;
      String text = t.isBoolean() && bool ? t.asString() : p.getText();
      return convert.apply(text, (LoadContext) ctxt.getAttribute(CONTEXT));
    }

    @Override
    public T getNullValue(DeserializationContext ctxt) {
      if (example == null && handledType() == String.class) {
        return null; // a key whose example depends on another (auth.mount); its reader checks
      }
      throw wrong(ctxt.getParser().getParsingContext().inArray(), null);
    }

    @Override
    public Object getAbsentValue(DeserializationContext ctxt) {
      // a left-out boolean key is false; a record's constructor defaults the others
      return handledType() == boolean.class ? Boolean.FALSE : null;
    }

    /** The example is "ONE|[A, B]" where the list needs its own, as for openbao.address. */
    private Bad wrong(boolean inList, String kind) {
      String one = example == null ? null : example.replaceAll("\\|.*", "");
      String list = example == null ? null : example.replaceAll(".*\\|", "");
      if (handledType() == Reference.class && example == null) {
        return new Bad(
            "expected a reference like secret/app/db#password, got "
                + (kind == null ? "no value" : kind),
            "write PATH#KEY or PATH#KEY@VERSION");
      }
      if (inList) {
        return new Bad(
            "expected a plain value, got " + (kind == null ? "no value" : kind),
            "write it as a list, like " + list);
      }
      return kind == null
          ? new Bad("has no value", "write a value like " + one + " or remove the key")
          : new Bad("expected one value like " + one + ", got " + kind, "write a single value");
    }
  }

  /** An octal file mode; an unquoted 0400 arrives as a number with its text intact. */
  static final class Mode extends Leaf<Integer> {
    private static final long serialVersionUID = 1L;

    Mode() {
      super(Integer.class, "\"0400\"", Scalars::mode);
    }
  }

  /** A whole secret, {@code secret/app/prod}: an {@code env-from:} path. */
  static final class WholeSecret extends Leaf<Reference> {
    private static final long serialVersionUID = 1L;

    WholeSecret() {
      super(Reference.class, null, Scalars::wholeSecret);
    }
  }

  /** {@code fallback:}, a {@code file:} reference. */
  static final class Fallback extends Leaf<Reference> {
    private static final long serialVersionUID = 1L;

    Fallback() {
      super(Reference.class, "file:/etc/app/fallback.env", Scalars::fallback);
    }
  }

  /** An output destination: no {@code ..} segments, so a path cannot climb out of its mount. */
  static final class OutputPath extends Leaf<Path> {
    private static final long serialVersionUID = 1L;

    OutputPath() {
      super(Path.class, null, Scalars::outputPath);
    }
  }

  /** The one translator: every binding failure becomes the message the reader used to give. */
  static ConfigException translate(JsonMappingException e, LoadContext ctx) {
    List<JsonMappingException.Reference> refs = e.getPath();
    String path = ConfigKeys.path(refs);
    if (!ctx.has(path) && path.endsWith("[0]")) {
      // a single value bound as a one-item list (openbao.address) is not an item in the file
      path = path.substring(0, path.length() - 3);
    }
    int line =
        ctx.has(path) ? ctx.line(path) : e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    if (e.getCause() instanceof Bad b) {
      return ctx.errorAt(line, path, b.getMessage(), b.fix);
    }
    if (e instanceof InvalidTypeIdException t) {
      return ConfigKeys.typeError(ctx, path, t.getTypeId());
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
          return d == null ? "" : d.value().replaceAll(".*\\|", "");
        }
      }
    }
    return "";
  }
}
