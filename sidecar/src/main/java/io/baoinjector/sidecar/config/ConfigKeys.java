package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every key {@code sidecar.yaml} accepts, section by section, read from the records Jackson binds
 * ({@link SidecarConfig} and the settings it holds): unknown-key messages and the docs test use it,
 * so code, errors and docs cannot drift.
 */
final class ConfigKeys {
  // before the sections, whose constructors use it
  private static final PropertyNamingStrategies.NamingBase KEBAB =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.KEBAB_CASE;

  private ConfigKeys() {}

  /**
   * The keys of one mapping.
   *
   * @param path the mapping's dotted path for docs, lists written as {@code files[]}; "" for the
   *     top level
   * @param type the record it binds to
   */
  record Section(String path, Class<?> type, List<String> keys) {
    Section(String path, Class<? extends Record> type) {
      this(
          path,
          type,
          Arrays.stream(type.getRecordComponents())
              .filter(c -> !c.getAccessor().isAnnotationPresent(JsonIgnore.class))
              .map(ConfigKeys::name)
              .toList());
    }

    boolean contains(String key) {
      return keys.contains(key);
    }

    String qualified(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }
  }

  static final Section ROOT = new Section("", SidecarConfig.class);
  static final Section OPENBAO = new Section("openbao", OpenBaoSettings.class);
  static final Section AUTH = new Section("auth", AuthSettings.class);
  static final Section ENV_FROM = new Section("env-from[]", SidecarConfig.EnvFrom.class);
  static final Section REFRESH = new Section("refresh", RefreshSettings.class);
  static final Section LEASES = new Section("leases", LeaseSettings.class);
  static final Section CACHE = new Section("cache", CacheSettings.class);
  static final Section OUTPUTS = new Section("outputs", OutputSettings.class);
  static final Section SOCKET = new Section("outputs.socket", OutputSettings.Socket.class);
  static final Section HTTP = new Section("outputs.http", OutputSettings.Http.class);
  static final Section FILE = new Section("outputs.files[]", OutputSettings.FileSpec.class);
  static final Section MASK = new Section("mask", MaskSettings.class);
  static final Section AWS = backend(BackendSettings.Aws.class);
  static final Section GCP = backend(BackendSettings.Gcp.class);
  static final Section INFISICAL = backend(BackendSettings.Infisical.class);

  static final List<Section> ALL =
      List.of(
          ROOT, OPENBAO, AUTH, ENV_FROM, REFRESH, LEASES, CACHE, OUTPUTS, SOCKET, HTTP, FILE, MASK,
          AWS, GCP, INFISICAL);

  /** A {@code backends:} block of one type: {@code type} (which picks the record) and its keys. */
  private static Section backend(Class<? extends Record> type) {
    List<String> keys = new ArrayList<>(List.of("type"));
    keys.addAll(new Section("backends.NAME", type).keys());
    return new Section("backends.NAME", type, List.copyOf(keys));
  }

  /** The key a record component binds, e.g. {@code ca-cert} for {@code caCert}. */
  static String name(RecordComponent c) {
    JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
    return p != null ? p.value() : KEBAB.translate(c.getName());
  }

  /** Every accepted key as a dotted path, e.g. {@code outputs.files[].mode}. */
  static List<String> allKeyPaths() {
    return ALL.stream().flatMap(s -> s.keys().stream().map(s::qualified)).toList();
  }

  /** A binding path as messages write it, e.g. {@code outputs.files[1].mode}. */
  static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      } else {
        b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
      }
    }
    return b.toString();
  }

  /** "did you mean", else the section that has the key, else the keys that are allowed here. */
  static String unknownKeyFix(UnrecognizedPropertyException u) {
    return unknownKeyFix(u.getReferringClass(), u.getPropertyName());
  }

  static String unknownKeyFix(Class<?> section, String key) {
    Section here = ALL.stream().filter(s -> s.type() == section).findFirst().orElse(ROOT);
    String near = DidYouMean.closest(key, here.keys());
    if (near != null) {
      return "did you mean " + near + "?";
    }
    for (Section s : ALL) {
      if (s != here && s.contains(key)) {
        return "it belongs under " + s.path() + ":, as " + s.qualified(key);
      }
    }
    return "remove it; keys here: " + String.join(", ", here.keys());
  }

  /** An {@code env-from:} or {@code outputs.files:} item that is not a mapping. */
  static ConfigException itemError(LoadContext ctx, String at, int line, String kind) {
    return at.startsWith("env-from")
        ? ctx.errorAt(
            line,
            at,
            "expected path: and optional prefix:, sanitize:, got " + kind,
            "write it like - path: secret/app/prod")
        : ctx.errorAt(
            line,
            at,
            "expected path:, format: and other keys, got " + kind,
            "write it like - path: /run/secrets/app.env");
  }

  /** A {@code backends:} block without {@code type:} (null), or with one no factory serves. */
  static ConfigException typeError(LoadContext ctx, String path, String typeId) {
    String block = path.replaceAll("\\.type$", "");
    boolean missing = typeId == null;
    return ctx.errorAt(
        ctx.has(block + ".type") ? ctx.line(block + ".type") : ctx.line(block),
        missing ? block : block + ".type",
        missing ? "missing type" : "unknown type \"" + typeId + "\"",
        (missing ? "add type: " : "use ") + BackendSettings.TYPES);
  }
}
