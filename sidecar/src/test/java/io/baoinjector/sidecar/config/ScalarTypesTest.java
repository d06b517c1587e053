package io.baoinjector.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How YAML's loose scalars bind: modes written as numbers, and YAML 1.1's yes/on. */
class ScalarTypesTest {
  private static final Path NAME = Path.of("sidecar.yaml");
  private static final Map<String, String> ENV = Map.of("BAO_TOKEN", Fixtures.CANARY_TOKEN);
  private static final String BASE =
      "openbao:\n  address: http://127.0.0.1:8200\nsecrets:\n  A: secret/app/db#password\n";

  private static SidecarConfig load(String extra) {
    return ConfigLoader.load(BASE + extra, NAME, ENV);
  }

  @ParameterizedTest(name = "mode: {0}")
  @CsvSource({"0400, 256", "'\"0400\"', 256", "0640, 416", "400, 256", "'\"0660\"', 432"})
  void anUnquotedModeReadsAsTheOctalItLooksLike(String written, int bits) {
    SidecarConfig c =
        load(
            "outputs:\n  files:\n    - path: /run/secrets/app.env\n      format: dotenv\n"
                + "      mode: "
                + written
                + "\n");
    assertEquals(bits, c.outputs().files().get(0).mode());
    SidecarConfig s =
        load("outputs:\n  socket:\n    path: /run/a.sock\n    mode: " + written + "\n");
    assertEquals(bits, s.outputs().socket().mode());
  }

  @ParameterizedTest(name = "mode: {0}")
  @ValueSource(strings = {"0o400", "0999", "1000", "'0x1ff'", "''"})
  void aModeThatIsNotThreeOctalDigitsIsAnError(String written) {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                load(
                    "outputs:\n  files:\n    - path: /run/secrets/app.env\n      format: dotenv\n"
                        + "      mode: "
                        + written
                        + "\n"));
    assertTrue(
        e.getMessage().startsWith("sidecar.yaml:9: outputs.files[0].mode: \""), e.getMessage());
    assertTrue(
        e.getMessage().endsWith("\" is not an octal file mode (write it quoted, like \"0400\")"),
        e.getMessage());
  }

  @ParameterizedTest(name = "revoke-on-exit: {0}")
  @ValueSource(strings = {"true", "True", "TRUE", "\"true\"", "yes", "Yes", "on", "ON"})
  void trueInAnySpellingYamlCallsTrue(String written) {
    assertTrue(load("revoke-on-exit: " + written + "\n").revokeOnExit());
  }

  @ParameterizedTest(name = "revoke-on-exit: {0}")
  @ValueSource(strings = {"false", "False", "FALSE", "'false'", "no", "No", "off", "OFF"})
  void falseInAnySpellingYamlCallsFalse(String written) {
    assertFalse(load("revoke-on-exit: " + written + "\n").revokeOnExit());
  }

  /**
   * Jackson's YAML parser reads a plain yes/no/on/off as a boolean, as YAML 1.1 does (above);
   * quoted, or y/n/1/0, they are text, and text other than true/false is no boolean.
   */
  @ParameterizedTest(name = "revoke-on-exit: {0}")
  @ValueSource(strings = {"\"yes\"", "'on'", "y", "n", "1", "0", "enabled"})
  void quotedYesAndOtherWordsAreNotBooleans(String written) {
    ConfigException e =
        assertThrows(ConfigException.class, () -> load("revoke-on-exit: " + written + "\n"));
    String text = written.replaceAll("^[\"']|[\"']$", "");
    assertEquals(
        "sidecar.yaml:5: revoke-on-exit: expected true or false, got \""
            + text
            + "\" (write true or false)",
        e.getMessage());
  }
}
