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
import java.util.stream.Stream;

/**
 * Finds every sidecar.yaml under {@code docker/} (plain files and ConfigMap entries); {@link
 * SidecarConfigsTest} checks each with the sidecar's own config loader.
 */
final class SidecarConfigs {
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

  /** The paths a config's outputs write: the socket's, then every file's. */
  static List<String> outputPaths(JsonNode config) {
    List<String> paths = new ArrayList<>();
    paths.add(config.at("/outputs/socket/path").asText());
    config.at("/outputs/files").forEach(f -> paths.add(f.path("path").asText()));
    return paths;
  }

  private static boolean isSidecarConfig(JsonNode doc) {
    return doc != null && doc.isObject() && doc.has("auth") && doc.has("secrets");
  }
}
