package io.baoinjector.sidecar.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks that need the whole merged config: that something is handed out, that files the
 * sidecar reads at startup exist, that outputs name mapped names, and that no two outputs share a
 * path. Runs once, after the file and the environment are merged; each value's own type and form
 * were checked while reading it.
 */
final class ConfigValidator {
  private final SidecarConfig c;
  private final LoadContext ctx;

  private ConfigValidator(SidecarConfig c, LoadContext ctx) {
    this.c = c;
    this.ctx = ctx;
  }

  static void validate(SidecarConfig c, LoadContext ctx) {
    new ConfigValidator(c, ctx).run();
  }

  /** openbao.address, given in the file or by $BAO_ADDR, each item already a URL. */
  static void addresses(OpenBaoSettings o, LoadContext ctx) {
    String key = "openbao.address";
    if (o.addresses() == null && ctx.has(key)) {
      throw ctx.error(
          key, "has no value", "write a value like http://127.0.0.1:8200 or remove the key");
    }
    if (o.addresses() == null) {
      throw ctx.error(
          key, "missing", "set openbao.address in the file or export BAO_ADDR=https://HOST:8200");
    }
    if (o.addresses().isEmpty()) {
      throw ctx.error(key, "empty list", "give at least one address");
    }
  }

  private void run() {
    // with env-references, exec may find every name in its environment (it checks there)
    if (c.secrets().isEmpty()
        && c.envFrom().isEmpty()
        && c.properties().isEmpty()
        && !c.envReferences()) {
      throw new ConfigException(
          ctx.fileName(),
          0,
          null,
          "nothing to hand out: secrets:, env-from: and properties: are all empty",
          "map at least one name, like secrets: {DB_PASSWORD: secret/app/db#password}");
    }
    if (c.mask().minLength() < 1) {
      throw ctx.error(
          "mask.min-length", "must be at least 1", "write a length like 6, or leave it out");
    }
    mustExist(c.openbao().caCert(), "openbao.ca-cert");
    mustExist(c.auth().tokenFile(), "auth.token-file");
    // role-id is read once at startup; secret-id-file is consumed by the first login and jwt-file
    // may be written later by another process, so only their presence in the config is checked
    mustExist(c.auth().roleIdFile(), "auth.role-id-file");
    List<OutputSettings.FileSpec> files = c.outputs().files();
    Map<Path, String> taken = new HashMap<>();
    if (c.outputs().socket() != null) {
      taken.put(c.outputs().socket().path(), "outputs.socket");
    }
    for (int i = 0; i < files.size(); i++) {
      OutputSettings.FileSpec file = files.get(i);
      String at = "outputs.files[" + i + "]";
      mustExist(file.template(), at + ".template");
      String before = taken.putIfAbsent(file.path(), at);
      if (before != null) {
        throw ctx.error(
            at + ".path",
            file.path() + " is already used by " + before,
            "give each output its own path");
      }
      checkNames(file, at);
    }
    if (c.cache() != null) {
      CachePlacement.check(c.cache(), c.outputs(), ctx);
    }
    c.backends().forEach(this::backend);
  }

  /** A block's name is its reference prefix; the keys its store cannot do without are there. */
  private void backend(String name, BackendSettings b) {
    String at = "backends." + name;
    if (!name.matches("[a-z][a-z0-9-]*") || RESERVED.contains(name)) {
      throw ctx.error(
          at,
          RESERVED.contains(name)
              ? "\"" + name + "\" is a built-in prefix and cannot name a backend"
              : "\"" + name + "\" cannot name a backend",
          "name it with lower-case letters, digits and -, like aws or aws-prod");
    }
    if (b instanceof BackendSettings.Gcp g) {
      required(g.project(), at, "project", "acme-prod");
      mustExist(g.credentialsFile(), at + ".credentials-file");
    } else if (b instanceof BackendSettings.Infisical i) {
      required(i.address(), at, "address", "https://app.infisical.com");
      required(i.project(), at, "project", "the project id");
      required(i.environment(), at, "environment", "prod");
      required(i.clientIdFile(), at, "client-id-file", "/etc/infisical/client-id");
      required(i.clientSecretFile(), at, "client-secret-file", "/etc/infisical/client-secret");
      mustExist(i.clientIdFile(), at + ".client-id-file");
      mustExist(i.clientSecretFile(), at + ".client-secret-file");
    }
  }

  /** Prefixes a block cannot take: built-in stores and OpenBao's own. */
  private static final Set<String> RESERVED = Set.of("file", "bao", "vault", "openbao");

  private void required(Object value, String at, String key, String example) {
    if (value == null || value.toString().isBlank()) {
      throw ctx.errorAt(
          ctx.line(at, key), at + "." + key, "missing", "add " + key + ": " + example);
    }
  }

  private void checkNames(OutputSettings.FileSpec file, String at) {
    if (file.format() == OutputSettings.Format.PROPERTIES) {
      if (c.properties().isEmpty()) {
        throw ctx.error(
            at + ".format",
            "format properties writes the properties: section, which is empty",
            "add properties: or pick another format");
      }
      mapped(file.names(), c.properties().keySet(), at + ".names", "properties:");
      return;
    }
    // env-from keys are only known once the secrets are read, so a name may come from there
    if (!c.envFrom().isEmpty()) {
      return;
    }
    mapped(file.names(), c.secrets().keySet(), at + ".names", "secrets:");
    if (file.name() != null) {
      mapped(List.of(file.name()), c.secrets().keySet(), at + ".name", "secrets:");
    }
  }

  private void mapped(List<String> names, Set<String> known, String key, String section) {
    if (names == null) {
      return;
    }
    for (String n : names) {
      if (!known.contains(n)) {
        String near = DidYouMean.closest(n, known);
        throw ctx.error(
            key,
            "\"" + n + "\" is not a name in " + section,
            near != null
                ? "did you mean " + near + "?"
                : "map it under " + section + " or remove it");
      }
    }
  }

  private void mustExist(Path p, String key) {
    if (p == null) {
      return;
    }
    if (!Files.exists(p)) {
      throw ctx.error(key, "file not found: " + p, "create it or fix the path");
    }
    if (Files.isDirectory(p)) {
      throw ctx.error(key, "is a directory, not a file: " + p, "point it at the file");
    }
    if (!Files.isReadable(p)) {
      throw ctx.error(key, "cannot read " + p, "check its permissions");
    }
  }
}
