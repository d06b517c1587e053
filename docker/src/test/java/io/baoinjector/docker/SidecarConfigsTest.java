package io.baoinjector.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.baoinjector.sidecar.config.ConfigException;
import io.baoinjector.sidecar.config.ConfigLoader;
import io.baoinjector.sidecar.config.SidecarConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every sidecar.yaml shipped under docker/ is accepted by the sidecar's own config loader (the
 * authority on keys and values), with the files it names (which exist only inside the containers)
 * created under a temp root.
 */
class SidecarConfigsTest {
  /** Keys whose files the loader checks at load time. */
  private static final List<String> FILE_KEYS =
      List.of("token-file", "role-id-file", "secret-id-file", "jwt-file", "ca-cert");

  @TempDir Path root;

  @Test
  void findsEverySidecarConfigUnderDocker() {
    assertEquals(
        Set.of(
            "docker/sidecar.compose.yaml",
            "docker/kubernetes/configmap.yaml#sidecar.yaml",
            "docker/kubernetes/configmap.yaml#render.yaml"),
        SidecarConfigs.all().keySet());
  }

  @Test
  void theSidecarsConfigLoaderAcceptsEveryShippedConfig() throws Exception {
    for (Map.Entry<String, JsonNode> e : SidecarConfigs.all().entrySet()) {
      SidecarConfig c = load(e.getKey(), e.getValue().deepCopy());
      assertEquals(false, c.secrets().isEmpty(), e.getKey() + " maps no secrets");
    }
  }

  @Test
  void aBrokenConfigIsRefusedWithTheLoadersMessage() {
    JsonNode bad =
        Repo.yaml(
            """
            auth:
              method: approle
              roleid-file: /x
            secrets:
              DB_PASSWORD: secret/app/db#password
            """);
    ConfigException e = assertThrows(ConfigException.class, () -> load("bad.yaml", bad));
    // (the line number is of the re-serialized YAML, so only the rest is compared)
    assertEquals(
        "auth.roleid-file: unknown key (did you mean role-id-file?)",
        e.getMessage().replaceFirst("^bad\\.yaml:\\d+: ", ""));
  }

  private SidecarConfig load(String label, JsonNode config) throws Exception {
    JsonNode auth = config.path("auth");
    if (auth instanceof ObjectNode a) {
      for (String key : FILE_KEYS) {
        if (a.hasNonNull(key)) {
          Path f = root.resolve(a.get(key).asText().replaceFirst("^/+", ""));
          Files.createDirectories(f.getParent());
          Files.writeString(f, "x");
          a.put(key, f.toString());
        }
      }
    }
    String yaml = new YAMLMapper().writeValueAsString(config);
    return ConfigLoader.load(
        yaml, Path.of(label), Map.of("BAO_ADDR", "http://openbao:8200", "HOME", root.toString()));
  }
}
