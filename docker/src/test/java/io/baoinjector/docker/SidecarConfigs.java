package io.baoinjector.docker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds every sidecar.yaml under {@code docker/} (plain files and ConfigMap entries) and checks
 * them against the keys PRODUCT.md documents.
 *
 * <p>The key list mirrors PRODUCT.md's "Config" section; it stands in until these tests can call
 * the sidecar's own config loader, which is the real authority.
 */
final class SidecarConfigs {
  private static final Set<String> TOP =
      Set.of(
          "openbao",
          "auth",
          "revoke-on-exit",
          "secrets",
          "env-from",
          "properties",
          "refresh",
          "outputs");
  private static final Set<String> OPENBAO =
      Set.of("address", "namespace", "ca-cert", "tls-skip-verify");
  private static final Set<String> AUTH =
      Set.of(
          "method",
          "mount",
          "token-file",
          "role-id-file",
          "secret-id-file",
          "secret-id-wrapped",
          "keep-secret-id-file",
          "role",
          "jwt-file");
  private static final Set<String> METHODS = Set.of("token", "approle", "kubernetes", "jwt");
  private static final Set<String> ENV_FROM = Set.of("path", "prefix", "sanitize");
  private static final Set<String> REFRESH = Set.of("interval");
  private static final Set<String> OUTPUTS = Set.of("socket", "http", "files");
  private static final Set<String> SOCKET = Set.of("path", "mode", "allow-uids");
  private static final Set<String> HTTP = Set.of("address");
  private static final Set<String> FILE =
      Set.of(
          "path",
          "format",
          "names",
          "name",
          "mode",
          "uid",
          "gid",
          "allow-disk",
          "on-change",
          "template");
  private static final Set<String> FORMATS =
      Set.of("dotenv", "properties", "json", "raw", "template");
  private static final Pattern REFERENCE =
      Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+#[A-Za-z0-9_.-]+(@[0-9]+)?");
  private static final Pattern MODE = Pattern.compile("0[0-7]{3}");

  private SidecarConfigs() {}

  /**
   * Every sidecar config under docker/, by a label naming its file (and ConfigMap key). A YAML
   * document counts as a sidecar config when it has both {@code auth} and {@code secrets}.
   */
  static Map<String, JsonNode> all() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    Path docker = Repo.docker("");
    try (Stream<Path> files = Files.walk(docker)) {
      for (Path file :
          files
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .filter(p -> !docker.relativize(p).startsWith("target"))
              .filter(p -> !docker.relativize(p).startsWith("src"))
              .sorted()
              .toList()) {
        String label = Repo.root().relativize(file).toString();
        for (JsonNode doc : Repo.yamlDocuments(file)) {
          if (isSidecarConfig(doc)) {
            out.put(label, doc);
          } else if ("ConfigMap".equals(doc.path("kind").asText())) {
            for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("data").fields();
                it.hasNext(); ) {
              Map.Entry<String, JsonNode> e = it.next();
              JsonNode inner = Repo.yaml(e.getValue().asText());
              if (isSidecarConfig(inner)) {
                out.put(label + "#" + e.getKey(), inner);
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static boolean isSidecarConfig(JsonNode doc) {
    return doc != null && doc.isObject() && doc.has("auth") && doc.has("secrets");
  }

  /** One line per problem, each naming the key; empty when the config uses only known keys. */
  static List<String> problems(JsonNode config) {
    List<String> out = new ArrayList<>();
    keys(config, "", TOP, out);
    keys(config.path("openbao"), "openbao.", OPENBAO, out);
    JsonNode auth = config.path("auth");
    keys(auth, "auth.", AUTH, out);
    String method = auth.path("method").asText("");
    if (!METHODS.contains(method)) {
      out.add("auth.method: '" + method + "' is not token|approle|kubernetes|jwt");
    }
    if (method.equals("approle")) {
      require(auth, "auth.", List.of("role-id-file", "secret-id-file"), out);
    }
    if (method.equals("kubernetes") || method.equals("jwt")) {
      require(auth, "auth.", List.of("role"), out);
    }
    references(config.path("secrets"), "secrets.", out);
    references(config.path("properties"), "properties.", out);
    int i = 0;
    for (JsonNode e : config.path("env-from")) {
      keys(e, "env-from[" + i++ + "].", ENV_FROM, out);
    }
    keys(config.path("refresh"), "refresh.", REFRESH, out);
    JsonNode outputs = config.path("outputs");
    keys(outputs, "outputs.", OUTPUTS, out);
    keys(outputs.path("socket"), "outputs.socket.", SOCKET, out);
    mode(outputs.path("socket"), "outputs.socket.", out);
    keys(outputs.path("http"), "outputs.http.", HTTP, out);
    i = 0;
    for (JsonNode f : outputs.path("files")) {
      String prefix = "outputs.files[" + i++ + "].";
      keys(f, prefix, FILE, out);
      mode(f, prefix, out);
      if (!FORMATS.contains(f.path("format").asText(""))) {
        out.add(
            prefix
                + "format: '"
                + f.path("format").asText()
                + "' is not dotenv|properties|json|raw|template");
      }
    }
    return out;
  }

  private static void keys(JsonNode node, String prefix, Set<String> allowed, List<String> out) {
    if (node.isMissingNode() || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      out.add(prefix.replaceAll("\\.$", "") + ": expected a mapping");
      return;
    }
    node.fieldNames()
        .forEachRemaining(
            k -> {
              if (!allowed.contains(k)) {
                out.add(prefix + k + ": not a key of sidecar.yaml (PRODUCT.md)");
              }
            });
  }

  private static void require(JsonNode node, String prefix, List<String> keys, List<String> out) {
    for (String k : keys) {
      if (!node.hasNonNull(k)) {
        out.add(prefix + k + ": required for auth.method " + node.path("method").asText());
      }
    }
  }

  private static void references(JsonNode map, String prefix, List<String> out) {
    map.fields()
        .forEachRemaining(
            e -> {
              if (!REFERENCE.matcher(e.getValue().asText()).matches()) {
                out.add(prefix + e.getKey() + ": not a PATH#KEY[@VERSION] reference");
              }
            });
  }

  private static void mode(JsonNode node, String prefix, List<String> out) {
    JsonNode mode = node.path("mode");
    // Quoted on purpose: unquoted 0400 is the YAML 1.1 octal 256, or decimal 400, by parser.
    if (!mode.isMissingNode() && !(mode.isTextual() && MODE.matcher(mode.asText()).matches())) {
      out.add(prefix + "mode: write it as a quoted octal string, e.g. \"0400\"");
    }
  }
}
