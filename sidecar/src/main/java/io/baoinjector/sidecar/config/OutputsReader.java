package io.baoinjector.sidecar.config;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads {@code outputs:}: the socket, the TCP health listener, and the files. */
final class OutputsReader {
  /** sun_path is 108 bytes including the terminating NUL. */
  static final int MAX_SOCKET_PATH_BYTES = 107;

  static final int DEFAULT_SOCKET_MODE = 0660;
  static final int DEFAULT_FILE_MODE = 0400;
  static final Duration DEFAULT_ON_CHANGE_TIMEOUT = Duration.ofSeconds(30);

  private static final List<String> FORMATS =
      List.of("dotenv", "properties", "json", "raw", "template");

  private OutputsReader() {}

  static OutputSettings read(Fields f, LoadContext ctx) {
    Fields socket = f.section("socket", ConfigKeys.SOCKET);
    Fields http = f.section("http", ConfigKeys.HTTP);
    return new OutputSettings(
        socket == null ? null : socket(socket, ctx),
        http == null ? null : http(http),
        files(f, ctx));
  }

  private static OutputSettings.Socket socket(Fields f, LoadContext ctx) {
    Path path = outputPath(f, ctx, "/run/bao-injector/agent.sock");
    int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_SOCKET_PATH_BYTES) {
      throw f.error(
          "path",
          "socket path is "
              + bytes
              + " bytes, over the kernel's limit of "
              + MAX_SOCKET_PATH_BYTES
              + " bytes for a Unix socket",
          "use a shorter path, like /run/bao-injector/agent.sock");
    }
    List<String> allow = f.stringList("allow-uids", "[1000, app]");
    for (int i = 0; allow != null && i < allow.size(); i++) {
      String u = allow.get(i);
      if (!u.matches("\\d+|[A-Za-z_][A-Za-z0-9_.-]*\\$?")) {
        throw f.error(
            "allow-uids",
            "\"" + u + "\" is neither a uid nor a user name",
            "write numeric uids or user names, like [1000, app]");
      }
    }
    return new OutputSettings.Socket(
        path,
        f.mode("mode", DEFAULT_SOCKET_MODE),
        allow == null ? List.of() : List.copyOf(allow),
        f.id("uid"),
        f.id("gid"));
  }

  private static OutputSettings.Http http(Fields f) {
    String a = f.string("address", "127.0.0.1:9102");
    if (a == null) {
      throw f.error("address", "missing", "add address: 127.0.0.1:9102 under outputs.http:");
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
      throw f.error(
          "address",
          "\"" + a + "\" is not HOST:PORT",
          "write it like 127.0.0.1:9102, or 0.0.0.0:9102 for every interface");
    }
    // an IP literal becomes an address without a DNS lookup; a name is looked up when bound
    return new OutputSettings.Http(
        host.matches("[0-9.]+|.*:.*")
            ? new InetSocketAddress(host, port)
            : InetSocketAddress.createUnresolved(host, port));
  }

  private static List<OutputSettings.FileSpec> files(Fields outputs, LoadContext ctx) {
    YamlNode.Sequence q =
        outputs.sequence("files", "[{path: /run/secrets/app.env, format: dotenv}]");
    if (q == null) {
      return List.of();
    }
    List<OutputSettings.FileSpec> out = new ArrayList<>();
    for (int i = 0; i < q.items().size(); i++) {
      YamlNode item = q.items().get(i);
      String at = "outputs.files[" + i + "]";
      if (!(item instanceof YamlNode.Mapping m)) {
        throw ctx.errorAt(
            item.line(),
            at,
            "expected path:, format: and other keys, got " + item.kind(),
            "write it like - path: /run/secrets/app.env");
      }
      out.add(file(new Fields(ctx, at, m, ConfigKeys.FILE), ctx, item.line()));
    }
    return List.copyOf(out);
  }

  private static OutputSettings.FileSpec file(Fields f, LoadContext ctx, int line) {
    if (!f.has("path")) {
      throw ctx.errorAt(line, f.keyPath("path"), "missing", "add path: /run/secrets/app.env");
    }
    Path path = outputPath(f, ctx, "/run/secrets/app.env");
    String fmt = f.choice("format", FORMATS);
    if (fmt == null) {
      throw ctx.errorAt(
          line,
          f.keyPath("format"),
          "missing",
          "add format: and one of " + String.join(", ", FORMATS));
    }
    OutputSettings.Format format = OutputSettings.Format.valueOf(fmt.toUpperCase(Locale.ROOT));
    List<String> names = f.stringList("names", "[DB_USER, DB_PASSWORD]");
    String name = f.string("name", "DB_PASSWORD");
    Path template = f.path("template");
    boolean raw = format == OutputSettings.Format.RAW;
    boolean tmpl = format == OutputSettings.Format.TEMPLATE;
    if (raw && name == null) {
      throw ctx.errorAt(
          line, f.keyPath("name"), "missing; format raw writes one name", "add name: DB_PASSWORD");
    }
    if (!raw && name != null) {
      throw f.error(
          "name", "only format raw takes name:", "use names: [" + name + "] for format " + fmt);
    }
    if (tmpl && template == null) {
      throw ctx.errorAt(
          line,
          f.keyPath("template"),
          "missing; format template needs the template file",
          "add template: /etc/bao-injector/app.tmpl");
    }
    if (!tmpl && template != null) {
      throw f.error(
          "template", "only format template takes template:", "set format: template or remove it");
    }
    if ((raw || tmpl) && names != null) {
      throw f.error(
          "names",
          "format " + fmt + " does not take names:",
          raw
              ? "use name: for the one name a raw file holds"
              : "the template picks its names; remove names:");
    }
    List<String> onChange = f.stringList("on-change", "[\"kill\", \"-HUP\", \"1\"]");
    if (f.has("on-change-timeout") && (onChange == null || onChange.isEmpty())) {
      throw f.error("on-change-timeout", "set without on-change", "add on-change: or remove it");
    }
    return new OutputSettings.FileSpec(
        path,
        format,
        names == null ? null : List.copyOf(names),
        name,
        template,
        f.mode("mode", DEFAULT_FILE_MODE),
        f.id("uid"),
        f.id("gid"),
        f.bool("allow-disk", false),
        onChange == null ? List.of() : List.copyOf(onChange),
        f.duration("on-change-timeout", DEFAULT_ON_CHANGE_TIMEOUT));
  }

  /** An output destination: no {@code ..} segments, so a path cannot climb out of its mount. */
  private static Path outputPath(Fields f, LoadContext ctx, String example) {
    String raw = f.string("path", example);
    if (raw == null) {
      throw f.error("path", "missing", "add path: " + example);
    }
    for (String seg : raw.split("/")) {
      if (seg.equals("..")) {
        throw f.error("path", "\"" + raw + "\" has a .. segment", "write the path without ..");
      }
    }
    return f.path("path");
  }
}
