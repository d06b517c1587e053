package io.baoinjector.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code mask:} (exec) and a file's {@code on-change-jitter}. */
class MaskConfigTest {
  static final String BASE =
      "openbao:\n  address: http://127.0.0.1:8200\nsecrets:\n  DB_PASSWORD: secret/app/db#password\n";

  static SidecarConfig load(String more) {
    return ConfigLoader.load(BASE + more, Path.of("/etc/bao-injector/sidecar.yaml"), Map.of());
  }

  @Test
  void maskIsOffUnlessSetAndTrueTakesTheDefaultLength() {
    assertEquals(new MaskSettings(false, 6), load("").mask());
    assertEquals(new MaskSettings(false, 6), load("mask: false\n").mask());
    assertEquals(new MaskSettings(true, 6), load("mask: true\n").mask());
  }

  @Test
  void aMaskMappingTurnsItOnWithItsLength() {
    assertEquals(new MaskSettings(true, 8), load("mask:\n  min-length: 8\n").mask());
    assertEquals(
        new MaskSettings(false, 3), load("mask: {enabled: false, min-length: 3}\n").mask());
  }

  @Test
  void onChangeJitterSitsBesideOnChange() {
    SidecarConfig c =
        load(
            "outputs:\n  files:\n    - path: /run/secrets/app.env\n      format: dotenv\n"
                + "      on-change: [\"true\"]\n      on-change-jitter: 30s\n");
    assertEquals(Duration.ofSeconds(30), c.outputs().files().get(0).onChangeJitter());
  }
}
