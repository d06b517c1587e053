package io.baoinjector.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code env-references:}: off unless set, a boolean like every other. */
class EnvReferencesKeyTest {
  private static final String BASE =
      "openbao:\n  address: http://127.0.0.1:8200\nsecrets:\n  A: secret/app/db#password\n";

  private static SidecarConfig load(String extra) {
    return ConfigLoader.load(
        BASE + extra, Path.of("sidecar.yaml"), Map.of("BAO_TOKEN", Fixtures.CANARY_TOKEN));
  }

  @Test
  void offUnlessSet() {
    assertFalse(load("").envReferences());
    assertFalse(load("env-references: false\n").envReferences());
    assertTrue(load("env-references: true\n").envReferences());
  }

  @Test
  void aStringIsOneLineNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("env-references: \"on\"\n"));
    assertEquals(
        "sidecar.yaml:5: env-references: expected true or false, got \"on\" (write true or false)",
        e.getMessage());
  }

  @Test
  void keepsTheFlagAcrossWithers() {
    SidecarConfig c = load("env-references: true\n");
    assertTrue(c.withSecrets(Map.of()).envReferences());
    assertTrue(c.withAuth(c.auth()).envReferences());
    assertEquals(Map.of(), c.withSecrets(Map.of()).secrets());
  }
}
