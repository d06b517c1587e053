package io.baoinjector.sidecar.config;

import io.baoinjector.shared.EnvNames;
import io.baoinjector.shared.Reference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what the sidecar hands out: {@code secrets:}, {@code env-from:}, {@code properties:}. */
final class NamesReader {
  private NamesReader() {}

  static Map<String, Reference> secrets(Fields root, LoadContext ctx) {
    return references(root, ctx, "secrets", true);
  }

  static Map<String, Reference> properties(Fields root, LoadContext ctx) {
    return references(root, ctx, "properties", false);
  }

  private static Map<String, Reference> references(
      Fields root, LoadContext ctx, String section, boolean envNames) {
    YamlNode.Mapping m = root.mapping(section);
    if (m == null) {
      return Map.of();
    }
    Map<String, Reference> out = new LinkedHashMap<>();
    for (YamlNode.Entry e : m.entries().values()) {
      String key = section + "." + e.key();
      if (envNames && !EnvNames.isValid(e.key())) {
        throw ctx.errorAt(
            e.line(),
            key,
            "\"" + e.key() + "\" is not a valid environment variable name",
            "use letters, digits and _, not starting with a digit, like DB_PASSWORD");
      }
      if (!envNames && (e.key().isBlank() || e.key().chars().anyMatch(Character::isWhitespace))) {
        throw ctx.errorAt(
            e.line(),
            key,
            "a system property name needs no spaces",
            "write it like spring.datasource.password");
      }
      if (!(e.value() instanceof YamlNode.Scalar s) || s.isNull()) {
        throw ctx.errorAt(
            e.line(),
            key,
            "expected a reference like secret/app/db#password, got " + e.value().kind(),
            "write PATH#KEY or PATH#KEY@VERSION");
      }
      try {
        out.put(e.key(), Reference.parse(s.text()));
      } catch (IllegalArgumentException ex) {
        throw ctx.errorAt(e.line(), key, ex.getMessage(), null);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  static List<SidecarConfig.EnvFrom> envFrom(Fields root, LoadContext ctx) {
    YamlNode.Sequence q = root.sequence("env-from", "[{path: secret/app/prod}]");
    if (q == null) {
      return List.of();
    }
    List<SidecarConfig.EnvFrom> out = new ArrayList<>();
    for (int i = 0; i < q.items().size(); i++) {
      YamlNode item = q.items().get(i);
      String at = "env-from[" + i + "]";
      if (item instanceof YamlNode.Scalar s && !s.isNull()) {
        // shorthand: "- secret/app/prod" means {path: secret/app/prod}
        out.add(new SidecarConfig.EnvFrom(wholeSecret(s.text(), ctx, at, item.line()), "", false));
        continue;
      }
      if (!(item instanceof YamlNode.Mapping m)) {
        throw ctx.errorAt(
            item.line(),
            at,
            "expected path: and optional prefix:, sanitize:, got " + item.kind(),
            "write it like - path: secret/app/prod");
      }
      Fields f = new Fields(ctx, at, m, ConfigKeys.ENV_FROM);
      String path = f.string("path", "secret/app/prod");
      if (path == null) {
        throw ctx.errorAt(item.line(), at + ".path", "missing", "add path: secret/app/prod");
      }
      Reference ref = wholeSecret(path, ctx, f.keyPath("path"), f.line("path"));
      boolean sanitize = f.bool("sanitize", false);
      String prefix = f.string("prefix", "APP_");
      prefix = prefix == null ? "" : prefix;
      if (!prefix.isEmpty() && !sanitize && !EnvNames.isValid(prefix)) {
        throw f.error(
            "prefix",
            "\"" + prefix + "\" would not start valid environment variable names",
            "use letters, digits and _, like APP_, or set sanitize: true");
      }
      out.add(new SidecarConfig.EnvFrom(ref, prefix, sanitize));
    }
    return List.copyOf(out);
  }

  private static Reference wholeSecret(String text, LoadContext ctx, String key, int line) {
    try {
      return Reference.wholeSecret(text);
    } catch (IllegalArgumentException e) {
      throw ctx.errorAt(line, key, e.getMessage(), "write the secret's path, like secret/app/prod");
    }
  }
}
