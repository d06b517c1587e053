package io.baoinjector.sidecar.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code openbao:}, filling left-out keys from the environment. */
final class OpenBaoReader {
  private OpenBaoReader() {}

  static OpenBaoSettings read(ConfigFile.OpenBao raw, EnvDefaults env, LoadContext ctx) {
    ConfigFile.OpenBao f = raw == null ? new ConfigFile.OpenBao(null, null, null, null) : raw;
    return new OpenBaoSettings(
        addresses(f.address(), env, ctx),
        f.namespace() != null ? f.namespace() : fromEnv(ctx, "namespace", env.namespace(), ""),
        caCert(f, env, ctx),
        skipVerify(f, env, ctx));
  }

  private static List<URI> addresses(List<String> items, EnvDefaults env, LoadContext ctx) {
    String key = "openbao.address";
    if (ctx.has(key)) {
      if (items == null) {
        throw ctx.error(
            key, "has no value", "write a value like http://127.0.0.1:8200 or remove the key");
      }
      if (!"a list".equals(ctx.kind(key))) {
        return List.of(uri(items.get(0), ctx, key, ctx.line(key)));
      }
      if (items.isEmpty()) {
        throw ctx.error(key, "empty list", "give at least one address");
      }
      List<URI> out = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        String at = key + "[" + i + "]";
        out.add(uri(items.get(i), ctx, at, ctx.line(at)));
      }
      return List.copyOf(out);
    }
    EnvDefaults.Value v = env.address();
    if (v == null) {
      throw ctx.error(
          key, "missing", "set openbao.address in the file or export BAO_ADDR=https://HOST:8200");
    }
    ctx.recordEnv(key, v.name());
    return List.of(uri(v.value(), ctx, key + " (from $" + v.name() + ")", 0));
  }

  private static URI uri(String text, LoadContext ctx, String key, int line) {
    String t = text.trim();
    URI u;
    try {
      u = new URI(t);
    } catch (URISyntaxException e) {
      u = null;
    }
    boolean ok =
        u != null
            && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
            && u.getHost() != null
            && u.getRawQuery() == null
            && u.getRawFragment() == null;
    if (!ok) {
      throw ctx.errorAt(
          line,
          key,
          "\"" + t + "\" is not an http(s) URL",
          "write it as https://HOST:PORT or http://HOST:PORT");
    }
    // a trailing slash would double up when the client appends /v1/...
    String s = u.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  /** A left-out key's value from the environment, remembering where it came from. */
  private static String fromEnv(LoadContext ctx, String key, EnvDefaults.Value v, String dflt) {
    if (v == null) {
      return dflt;
    }
    ctx.recordEnv("openbao." + key, v.name());
    return v.value();
  }

  private static Path caCert(ConfigFile.OpenBao f, EnvDefaults env, LoadContext ctx) {
    if (ctx.has("openbao.ca-cert")) {
      return f.caCert();
    }
    String v = fromEnv(ctx, "ca-cert", env.caCert(), null);
    // a path in the environment means what it means to the bao CLI: relative to the working dir
    return v == null ? null : Path.of(v).toAbsolutePath().normalize();
  }

  private static boolean skipVerify(ConfigFile.OpenBao f, EnvDefaults env, LoadContext ctx) {
    if (ctx.has("openbao.tls-skip-verify")) {
      return f.tlsSkipVerify();
    }
    EnvDefaults.Value v = env.skipVerify();
    String text = fromEnv(ctx, "tls-skip-verify", v, null);
    if (text == null) {
      return false;
    }
    Boolean b = EnvDefaults.parseBool(text);
    if (b == null) {
      throw ctx.error(
          "openbao.tls-skip-verify",
          "\"" + text + "\" is not true or false",
          "set $" + v.name() + " to true or false");
    }
    return b;
  }
}
