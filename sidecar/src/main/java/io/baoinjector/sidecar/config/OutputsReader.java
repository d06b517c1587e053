package io.baoinjector.sidecar.config;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Checks {@code outputs:}: the socket, the TCP health listener, and the files. */
final class OutputsReader {
  /** sun_path is 108 bytes including the terminating NUL. */
  static final int MAX_SOCKET_PATH_BYTES = 107;

  static final int DEFAULT_SOCKET_MODE = 0660;
  static final int DEFAULT_FILE_MODE = 0400;
  static final Duration DEFAULT_ON_CHANGE_TIMEOUT = Duration.ofSeconds(30);

  private static final List<String> FORMATS =
      List.of("dotenv", "properties", "json", "raw", "template");

  private OutputsReader() {}

  static OutputSettings read(ConfigFile.Outputs f, LoadContext ctx) {
    if (f == null) {
      return new OutputSettings(null, null, List.of());
    }
    return new OutputSettings(
        f.socket() == null ? null : socket(f.socket(), ctx),
        f.http() == null ? null : http(f.http(), ctx),
        files(f.files(), ctx));
  }

  private static OutputSettings.Socket socket(ConfigFile.Socket f, LoadContext ctx) {
    String at = "outputs.socket";
    Path path = outputPath(f.path(), ctx, at, "/run/bao-injector/agent.sock");
    int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_SOCKET_PATH_BYTES) {
      throw ctx.error(
          at + ".path",
          "socket path is "
              + bytes
              + " bytes, over the kernel's limit of "
              + MAX_SOCKET_PATH_BYTES
              + " bytes for a Unix socket",
          "use a shorter path, like /run/bao-injector/agent.sock");
    }
    List<String> allow = f.allowUids() == null ? List.of() : List.copyOf(f.allowUids());
    for (String u : allow) {
      if (!u.matches("\\d+|[A-Za-z_][A-Za-z0-9_.-]*\\$?")) {
        throw ctx.error(
            at + ".allow-uids",
            "\"" + u + "\" is neither a uid nor a user name",
            "write numeric uids or user names, like [1000, app]");
      }
    }
    int mode = f.mode() == null ? DEFAULT_SOCKET_MODE : f.mode();
    return new OutputSettings.Socket(path, mode, allow, f.uid(), f.gid());
  }

  private static OutputSettings.Http http(ConfigFile.Http f, LoadContext ctx) {
    String a = f.address();
    if (a == null) {
      throw ctx.errorAt(
          ctx.line("outputs.http", "address"),
          "outputs.http.address",
          "missing",
          "add address: 127.0.0.1:9102 under outputs.http:");
    }
    int colon = a.lastIndexOf(':');
    String host = colon < 0 ? "" : a.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = -1;
    try {
      port = colon < 0 ? -1 : Integer.parseInt(a.substring(colon + 1));
    } catch (NumberFormatException e) {
      // reported below
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw ctx.error(
          "outputs.http.address",
          "\"" + a + "\" is not HOST:PORT",
          "write it like 127.0.0.1:9102, or 0.0.0.0:9102 for every interface");
    }
    // an IP literal becomes an address without a DNS lookup; a name is looked up when bound
    return new OutputSettings.Http(
        host.matches("[0-9.]+|.*:.*")
            ? new InetSocketAddress(host, port)
            : InetSocketAddress.createUnresolved(host, port));
  }

  private static List<OutputSettings.FileSpec> files(List<ConfigFile.File> items, LoadContext ctx) {
    if (items == null) {
      return List.of();
    }
    List<OutputSettings.FileSpec> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String at = "outputs.files[" + i + "]";
      if (items.get(i) == null) {
        throw ConfigKeys.itemError(ctx, at, ctx.line(at), "no value");
      }
      out.add(file(items.get(i), ctx, at));
    }
    return List.copyOf(out);
  }

  private static OutputSettings.FileSpec file(ConfigFile.File f, LoadContext ctx, String at) {
    int line = ctx.line(at);
    if (!ctx.has(at + ".path")) {
      throw ctx.errorAt(line, at + ".path", "missing", "add path: /run/secrets/app.env");
    }
    Path path = outputPath(f.path(), ctx, at, "/run/secrets/app.env");
    String fmt = ctx.choice(at + ".format", f.format(), FORMATS);
    if (fmt == null) {
      throw ctx.errorAt(
          line, at + ".format", "missing", "add format: and one of " + String.join(", ", FORMATS));
    }
    OutputSettings.Format format = OutputSettings.Format.valueOf(fmt.toUpperCase(Locale.ROOT));
    String name = f.name();
    boolean raw = format == OutputSettings.Format.RAW;
    boolean tmpl = format == OutputSettings.Format.TEMPLATE;
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
    List<String> onChange = f.onChange() == null ? List.of() : List.copyOf(f.onChange());
    if (ctx.has(at + ".on-change-timeout") && onChange.isEmpty()) {
      throw ctx.error(
          at + ".on-change-timeout", "set without on-change", "add on-change: or remove it");
    }
    return new OutputSettings.FileSpec(
        path,
        format,
        f.names() == null ? null : List.copyOf(f.names()),
        name,
        f.template(),
        f.mode() == null ? DEFAULT_FILE_MODE : f.mode(),
        f.uid(),
        f.gid(),
        Boolean.TRUE.equals(f.allowDisk()),
        onChange,
        f.onChangeTimeout() == null ? DEFAULT_ON_CHANGE_TIMEOUT : f.onChangeTimeout());
  }

  /**
   * An output destination: no {@code ..} segments, so a path cannot climb out of its mount;
   * resolved against the config file's directory.
   */
  private static Path outputPath(String raw, LoadContext ctx, String at, String example) {
    String key = at + ".path";
    if (raw == null) {
      throw ctx.errorAt(ctx.line(at, "path"), key, "missing", "add path: " + example);
    }
    for (String seg : raw.split("/")) {
      if (seg.equals("..")) {
        throw ctx.error(key, "\"" + raw + "\" has a .. segment", "write the path without ..");
      }
    }
    try {
      return ctx.resolve(raw);
    } catch (Binder.Bad e) {
      throw ctx.error(key, e.getMessage(), e.fix);
    }
  }
}
