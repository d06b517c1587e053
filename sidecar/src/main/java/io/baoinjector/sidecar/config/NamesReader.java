package io.baoinjector.sidecar.config;

import io.baoinjector.shared.EnvNames;
import io.baoinjector.shared.Reference;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks what the sidecar hands out: {@code secrets:}, {@code env-from:}, {@code properties:}. */
final class NamesReader {
  private NamesReader() {}

  static Map<String, Reference> secrets(Map<String, Reference> m, LoadContext ctx) {
    return references(m, ctx, "secrets", true);
  }

  static Map<String, Reference> properties(Map<String, Reference> m, LoadContext ctx) {
    return references(m, ctx, "properties", false);
  }

  private static Map<String, Reference> references(
      Map<String, Reference> m, LoadContext ctx, String section, boolean envNames) {
    if (m == null) {
      return Map.of();
    }
    for (String name : m.keySet()) {
      String key = section + "." + name;
      if (envNames && !EnvNames.isValid(name)) {
        throw ctx.error(
            key,
            "\"" + name + "\" is not a valid environment variable name",
            "use letters, digits and _, not starting with a digit, like DB_PASSWORD");
      }
      if (!envNames && (name.isBlank() || name.chars().anyMatch(Character::isWhitespace))) {
        throw ctx.error(
            key,
            "a system property name needs no spaces",
            "write it like spring.datasource.password");
      }
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  static List<SidecarConfig.EnvFrom> envFrom(List<SidecarConfig.EnvFrom> items, LoadContext ctx) {
    if (items == null) {
      return List.of();
    }
    for (int i = 0; i < items.size(); i++) {
      SidecarConfig.EnvFrom item = items.get(i);
      String at = "env-from[" + i + "]";
      if (item == null) {
        throw ConfigKeys.itemError(ctx, at, ctx.line(at), "no value");
      }
      if (item.path() == null) {
        throw ctx.errorAt(ctx.line(at), at + ".path", "missing", "add path: secret/app/prod");
      }
      String prefix = item.prefix();
      if (!prefix.isEmpty() && !item.sanitize() && !EnvNames.isValid(prefix)) {
        throw ctx.error(
            at + ".prefix",
            "\"" + prefix + "\" would not start valid environment variable names",
            "use letters, digits and _, like APP_, or set sanitize: true");
      }
    }
    return List.copyOf(items);
  }
}
