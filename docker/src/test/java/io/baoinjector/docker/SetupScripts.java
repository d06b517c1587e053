package io.baoinjector.docker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.testkit.OpenBao;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs docker/'s OpenBao setup scripts on this host against a test's dev server, as root token. */
final class SetupScripts {
  private SetupScripts() {}

  static Proc.Result run(OpenBao bao, String script, Path home, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>();
    env.put("BAO_ADDR", bao.address());
    env.put("BAO_TOKEN", bao.rootToken());
    // The scripts call `bao` as the official image has it on PATH.
    env.put("PATH", bao.binary().getParent() + ":" + System.getenv("PATH"));
    env.put("HOME", home.toString());
    env.putAll(extraEnv);
    return Proc.run(List.of("sh", Repo.docker(script).toString()), env, home, true);
  }

  /** {@code token} reads a value at every reference of {@code config}'s secrets. */
  static void assertReadsEverySecret(OpenBao bao, String token, JsonNode config) {
    config
        .path("secrets")
        .fields()
        .forEachRemaining(
            e -> {
              String ref = e.getValue().asText();
              String[] pathKey = ref.split("#", 2);
              String path = pathKey[0].replaceFirst("^secret/", "secret/data/");
              JsonNode data = bao.api(token, "GET", path, null).at("/data/data");
              assertTrue(data.hasNonNull(pathKey[1]), e.getKey() + ": " + ref + " not seeded");
            });
  }
}
