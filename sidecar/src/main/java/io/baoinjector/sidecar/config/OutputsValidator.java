package io.baoinjector.sidecar.config;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Checks {@code outputs:} as bound: what a key's own type cannot say. */
final class OutputsValidator {
  /** sun_path is 108 bytes including the terminating NUL. */
  static final int MAX_SOCKET_PATH_BYTES = 107;

  private OutputsValidator() {}

  static OutputSettings check(OutputSettings o, LoadContext ctx) {
    if (o == null) {
      return OutputSettings.NONE;
    }
    if (o.socket() != null) {
      socket(o.socket(), ctx);
    }
    if (o.http() != null && o.http().address() == null) {
      throw ctx.errorAt(
          ctx.line("outputs.http", "address"),
          "outputs.http.address",
          "missing",
          "add address: 127.0.0.1:9102 under outputs.http:");
    }
    for (int i = 0; i < o.files().size(); i++) {
      String at = "outputs.files[" + i + "]";
      if (o.files().get(i) == null) {
        throw ConfigKeys.itemError(ctx, at, ctx.line(at), "no value");
      }
      file(o.files().get(i), ctx, at);
    }
    return o;
  }

  private static void socket(OutputSettings.Socket s, LoadContext ctx) {
    String at = "outputs.socket";
    if (s.path() == null) {
      throw ctx.errorAt(
          ctx.line(at, "path"), at + ".path", "missing", "add path: /run/bao-injector/agent.sock");
    }
    int bytes = s.path().toString().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_SOCKET_PATH_BYTES) {
      throw ctx.error(
          at + ".path",
          "socket path is %s bytes, over the kernel's limit of %s bytes for a Unix socket"
              .formatted(bytes, MAX_SOCKET_PATH_BYTES),
          "use a shorter path, like /run/bao-injector/agent.sock");
    }
    for (String u : s.allowUids()) {
      if (!u.matches("\\d+|[A-Za-z_][A-Za-z0-9_.-]*\\$?")) {
        throw ctx.error(
            at + ".allow-uids",
            "\"" + u + "\" is neither a uid nor a user name",
            "write numeric uids or user names, like [1000, app]");
      }
    }
  }

  private static void file(OutputSettings.FileSpec f, LoadContext ctx, String at) {
    int line = ctx.line(at);
    if (f.path() == null) {
      throw ctx.errorAt(line, at + ".path", "missing", "add path: /run/secrets/app.env");
    }
    if (f.format() == null) {
      throw ctx.errorAt(
          line,
          at + ".format",
          "missing",
          "add format: and one of dotenv, properties, json, raw, template");
    }
    String fmt = f.format().name().toLowerCase(Locale.ROOT);
    String name = f.name();
    boolean raw = f.format() == OutputSettings.Format.RAW;
    boolean tmpl = f.format() == OutputSettings.Format.TEMPLATE;
    if (raw && name == null) {
      throw ctx.errorAt(
          line, at + ".name", "missing; format raw writes one name", "add name: DB_PASSWORD");
    }
    if (!raw && name != null) {
      throw ctx.error(
          at + ".name",
          "only format raw takes name:",
          "use names: [" + name + "] for format " + fmt);
    }
    if (tmpl && f.template() == null) {
      throw ctx.errorAt(
          line,
          at + ".template",
          "missing; format template needs the template file",
          "add template: /etc/bao-injector/app.tmpl");
    }
    if (!tmpl && f.template() != null) {
      throw ctx.error(
          at + ".template",
          "only format template takes template:",
          "set format: template or remove it");
    }
    if ((raw || tmpl) && f.names() != null) {
      throw ctx.error(
          at + ".names",
          "format " + fmt + " does not take names:",
          raw
              ? "use name: for the one name a raw file holds"
              : "the template picks its names; remove names:");
    }
    for (String key : List.of(at + ".on-change-timeout", at + ".on-change-jitter")) {
      if (ctx.has(key) && f.onChange().isEmpty()) {
        throw ctx.error(key, "set without on-change", "add on-change: or remove it");
      }
    }
  }
}
