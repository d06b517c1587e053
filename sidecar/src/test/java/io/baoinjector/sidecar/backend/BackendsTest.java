package io.baoinjector.sidecar.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.baoinjector.sidecar.config.BackendSettings;
import io.baoinjector.sidecar.config.ConfigLoader;
import io.baoinjector.sidecar.config.SidecarConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendsTest {
  static final String CANARY = "canary-open-Tk20";

  @Test
  void aFactoryThatThrowsIsOneLineWithoutItsMessage(@TempDir Path dir) throws Exception {
    SidecarConfig cfg =
        ConfigLoader.load(
            "openbao: {address: 'http://127.0.0.1:9'}\n"
                + "backends:\n"
                + io.baoinjector.sidecar.config.Fixtures.infisicalBlock("inf", dir)
                + "secrets: {K: 'inf:/app#K'}\n",
            dir.resolve("sidecar.yaml"),
            Map.of());
    BackendFactory broken =
        new BackendFactory() {
          @Override
          public String type() {
            return "infisical";
          }

          @Override
          public Backend open(String name, BackendSettings settings) {
            // e.g. a credentials parser quoting the file it choked on
            throw new IllegalStateException("bad credentials: " + CANARY);
          }
        };
    BackendException e =
        assertThrows(BackendException.class, () -> Backends.open(cfg, t -> broken));
    assertEquals(
        "backends.inf: the infisical backend failed to open (IllegalStateException); check its"
            + " jar's version and the block's settings",
        e.getMessage());
  }
}
