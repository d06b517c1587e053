package io.baoinjector.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each {@code bad-config/*.yaml} fails with exactly the message in its first line. */
class BadConfigTest {
  static List<Path> fixtures() {
    return Fixtures.badConfigs();
  }

  @Test
  void thereAreEnoughFixtures() {
    assertTrue(fixtures().size() >= 25, "bad-config fixtures: " + fixtures().size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void failsWithTheExpectedMessage(Path file) {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(file, Map.of("BAO_TOKEN", Fixtures.CANARY_TOKEN)));
    assertEquals(Fixtures.expectedMessage(file), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
    assertFalse(e.getMessage().contains(Fixtures.CANARY_TOKEN), "no token in the message");
    assertEquals(file.toString(), e.file());
  }
}
