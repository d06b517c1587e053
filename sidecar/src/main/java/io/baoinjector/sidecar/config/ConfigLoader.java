package io.baoinjector.sidecar.config;

import io.baoinjector.shared.wire.Utf8;
import io.baoinjector.shared.wire.WireFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;

/**
 * Loads {@code sidecar.yaml}: parse into the typed records, fill left-out keys from the environment
 * ({@code BAO_*} before {@code VAULT_*}; a key in the file beats the environment), then validate
 * once. Relative paths in the file resolve against the file's directory.
 *
 * <p>Every failure is a {@link ConfigException} with a one-line message naming the file, the YAML
 * line, the key and the fix. Nothing else escapes for bad input.
 */
public final class ConfigLoader {
  /**
   * The largest config file read. A real one is a few KiB; the cap keeps a mistaken {@code -c} (a
   * log, a dump, a 50 MB scalar) from costing gigabytes of parser memory and minutes of CPU.
   */
  static final int MAX_BYTES = 1 << 20;

  private ConfigLoader() {}

  /**
   * Reads and validates {@code file}.
   *
   * @param env the process environment (pass {@code System.getenv()}); read for {@code BAO_ADDR},
   *     {@code BAO_TOKEN}, {@code BAO_NAMESPACE}, {@code BAO_CACERT}, {@code BAO_SKIP_VERIFY},
   *     their {@code VAULT_*} twins, and {@code HOME}
   * @throws ConfigException for a missing or unreadable file and every mistake in it
   */
  public static SidecarConfig load(Path file, Map<String, String> env) {
    Objects.requireNonNull(file, "file == null");
    String name = file.toString();
    byte[] bytes = readBounded(file, name);
    String yaml;
    try {
      yaml = Utf8.decode(bytes, name);
    } catch (WireFormatException e) {
      throw new ConfigException(name, 0, null, "the file is not UTF-8 text", "save it as UTF-8");
    }
    return load(yaml, file, env);
  }

  /**
   * Reads at most {@link #MAX_BYTES} + 1 bytes, and only from a regular file: opening a FIFO blocks
   * until a writer comes, and {@code /dev/zero} never ends.
   */
  private static byte[] readBounded(Path file, String name) {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          name, 0, null, "config file not found", "create it or pass another with -c PATH");
    } catch (IOException e) {
      throw unreadable(name, e);
    }
    if (attrs.isDirectory()) {
      throw new ConfigException(
          name, 0, null, "is a directory, not a config file", "pass the file with -c PATH");
    }
    if (!attrs.isRegularFile()) {
      throw new ConfigException(
          name,
          0,
          null,
          "is not a regular file (a FIFO, socket or device)",
          "pass a YAML file with -c PATH");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw unreadable(name, e);
    }
    if (bytes.length > MAX_BYTES) {
      throw new ConfigException(
          name,
          0,
          null,
          "is larger than 1 MiB, too large for a config file",
          "pass sidecar.yaml with -c PATH; keep large values in OpenBao or in files it names");
    }
    return bytes;
  }

  private static ConfigException unreadable(String name, IOException e) {
    return e instanceof AccessDeniedException
        ? new ConfigException(name, 0, null, "cannot read the config file", "check its permissions")
        : new ConfigException(
            name, 0, null, "cannot read the config file: " + e.getMessage(), null);
  }

  /**
   * Parses and validates {@code yaml} as if read from {@code nameForMessages}, which names it in
   * messages and whose directory relative paths resolve against.
   *
   * @throws ConfigException for every mistake
   */
  public static SidecarConfig load(String yaml, Path nameForMessages, Map<String, String> env) {
    Objects.requireNonNull(yaml, "yaml == null");
    Objects.requireNonNull(nameForMessages, "nameForMessages == null");
    Objects.requireNonNull(env, "env == null");
    Path dir = nameForMessages.toAbsolutePath().getParent();
    LoadContext ctx =
        new LoadContext(
            nameForMessages.toString(), dir == null ? Path.of("").toAbsolutePath() : dir);
    EnvDefaults defaults = new EnvDefaults(env);
    YamlScan.scan(yaml, ctx);
    SidecarConfig f = Binder.bind(yaml, ctx, defaults);
    if (ctx.has("source")) {
      // a component, not a key: the file the config came from
      throw ctx.error(
          "source", "unknown key", ConfigKeys.unknownKeyFix(SidecarConfig.class, "source"));
    }
    OpenBaoSettings openbao =
        f.openbao() == null ? Binder.empty(OpenBaoSettings.class, ctx, defaults) : f.openbao();
    ConfigValidator.addresses(openbao, ctx);
    AuthSettings auth =
        f.auth() == null ? Binder.empty(AuthSettings.class, ctx, defaults) : f.auth();
    AuthValidator.check(auth, defaults, ctx);
    SidecarConfig config =
        f.resolved(
            nameForMessages,
            openbao,
            auth,
            NamesReader.secrets(f.secrets(), ctx),
            NamesReader.envFrom(f.envFrom(), ctx),
            NamesReader.properties(f.properties(), ctx),
            OutputsValidator.check(f.outputs(), ctx));
    ConfigValidator.validate(config, ctx);
    return config;
  }
}
