package io.baoinjector.sidecar.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code openbao:}, filling left-out keys from the environment. */
final class OpenBaoReader {
  private OpenBaoReader() {}

  static OpenBaoSettings read(Fields f, EnvDefaults env, LoadContext ctx) {
    return new OpenBaoSettings(
        addresses(f, env, ctx),
        namespace(f, env, ctx),
        caCert(f, env, ctx),
        skipVerify(f, env, ctx));
  }

  private static List<URI> addresses(Fields f, EnvDefaults env, LoadContext ctx) {
    String key = f.keyPath("address");
    List<URI> out = new ArrayList<>();
    if (f.has("address")) {
      YamlNode.Sequence list = f.sequenceOrNull("address");
      if (list == null) {
        out.add(uri(f.string("address", "http://127.0.0.1:8200"), ctx, key, f.line("address")));
      } else {
        List<String> items = f.stringList("address", "[https://bao-0:8200, https://bao-1:8200]");
        if (items.isEmpty()) {
          throw f.error("address", "empty list", "give at least one address");
        }
        for (int i = 0; i < items.size(); i++) {
          out.add(uri(items.get(i), ctx, key + "[" + i + "]", list.items().get(i).line()));
        }
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

  private static String namespace(Fields f, EnvDefaults env, LoadContext ctx) {
    if (f.has("namespace")) {
      String ns = f.string("namespace", "team-a");
      return ns == null ? "" : ns;
    }
    EnvDefaults.Value v = env.namespace();
    if (v == null) {
      return "";
    }
    ctx.recordEnv(f.keyPath("namespace"), v.name());
    return v.value();
  }

  private static Path caCert(Fields f, EnvDefaults env, LoadContext ctx) {
    if (f.has("ca-cert")) {
      return f.path("ca-cert");
    }
    EnvDefaults.Value v = env.caCert();
    if (v == null) {
      return null;
    }
    ctx.recordEnv(f.keyPath("ca-cert"), v.name());
    // a path in the environment means what it means to the bao CLI: relative to the working dir
    return Path.of(v.value()).toAbsolutePath().normalize();
  }

  private static boolean skipVerify(Fields f, EnvDefaults env, LoadContext ctx) {
    if (f.has("tls-skip-verify")) {
      return f.bool("tls-skip-verify", false);
    }
    EnvDefaults.Value v = env.skipVerify();
    if (v == null) {
      return false;
    }
    String key = f.keyPath("tls-skip-verify");
    ctx.recordEnv(key, v.name());
    Boolean b = EnvDefaults.parseBool(v.value());
    if (b == null) {
      throw ctx.error(
          key,
          "\"" + v.value() + "\" is not true or false",
          "set $" + v.name() + " to true or false");
    }
    return b;
  }
}
