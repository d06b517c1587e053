package io.baoinjector.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every sidecar.yaml shipped under docker/ uses only the keys PRODUCT.md documents. */
class SidecarConfigsTest {
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
  void everyConfigUsesOnlyDocumentedKeys() {
    for (Map.Entry<String, JsonNode> e : SidecarConfigs.all().entrySet()) {
      assertEquals(List.of(), SidecarConfigs.problems(e.getValue()), e.getKey());
    }
  }

  @Test
  void reportsUnknownKeysBadValuesAndMissingCredentialsByKey() {
    JsonNode bad =
        Repo.yaml(
            """
            auth:
              method: approle
              roleid-file: /x
              secret-id-file: /y
            secrets:
              DB_PASSWORD: secret/app/db
            outputs:
              socket:
                path: /run/x.sock
                mode: 0660
              files:
                - path: /run/secrets/a
                  format: yaml
            extra: 1
            """);
    assertEquals(
        List.of(
            "extra: not a key of sidecar.yaml (PRODUCT.md)",
            "auth.roleid-file: not a key of sidecar.yaml (PRODUCT.md)",
            "auth.role-id-file: required for auth.method approle",
            "secrets.DB_PASSWORD: not a PATH#KEY[@VERSION] reference",
            "outputs.socket.mode: write it as a quoted octal string, e.g. \"0400\"",
            "outputs.files[0].format: 'yaml' is not dotenv|properties|json|raw|template"),
        SidecarConfigs.problems(bad));
  }
}
