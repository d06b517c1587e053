package io.baoinjector.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void anAddressWithAHugeRunOfSlashesLosesOnlyItsTrailingOnesQuickly() {
    // a backtracking regex ("/+$") took seconds on a long inner run; the env's BAO_ADDR goes here
    // too
    String inner = "/".repeat(200_000);
    SidecarConfig c =
        ConfigLoader.load(
            "openbao:\n  address: http://127.0.0.1:8200"
                + inner
                + "x//\nsecrets:\n  A: secret/a#b\n",
            NAME,
            ENV);
    assertEquals("http://127.0.0.1:8200" + inner + "x", c.openbao().addresses().get(0).toString());
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void anAuthMountWithAHugeRunOfSlashesLosesOnlyItsOuterOnesQuickly() {
    String inner = "/".repeat(200_000);
    SidecarConfig c = load("auth:\n  method: token\n  mount: /app" + inner + "role//\n");
    assertEquals("app" + inner + "role", c.auth().mount());
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

  /** Messages no bad-config fixture pins, each as the hand-written reader gave it. */
  @Test
  void messagesWithoutAFixture() {
    String secrets = "secrets:\n  A: secret/app/db#password\n";
    assertMessage(
        "openbao:\n  address: {host: bao}\n" + secrets,
        "sidecar.yaml:2: openbao.address: expected one value like http://127.0.0.1:8200, got a"
            + " mapping (write a single value)");
    // Jackson's YAML parser reads a key left empty before a less-indented one as ""
    assertMessage(
        "openbao:\n  address:\n" + secrets,
        "sidecar.yaml:2: openbao.address: \"\" is not an http(s) URL (write it as https://HOST:PORT"
            + " or http://HOST:PORT)");
    assertMessage(
        "openbao:\n  address: [http://a:1, [x]]\n" + secrets,
        "sidecar.yaml:2: openbao.address[1]: expected a plain value, got a list (write it as a"
            + " list, like [https://bao-0:8200, https://bao-1:8200])");
    assertMessage(
        BASE + "auth:\n  method: approle\n  mount:\n",
        "sidecar.yaml:7: auth.mount: empty mount path (remove it to use approle)");
    assertMessage(
        BASE + "auth:\n  method: approle\n  mount: ~\n",
        "sidecar.yaml:7: auth.mount: has no value (write a value like approle or remove the key)");
    assertMessage(
        BASE + "refresh:\n  interval:\n",
        "sidecar.yaml:6: refresh.interval: \"\" is not a duration (write a duration like 30s, 5m,"
            + " 1h or 500ms)");
    assertMessage(
        BASE + "refresh:\n  interval: ~\n",
        "sidecar.yaml:6: refresh.interval: has no value (write a value like 30s or remove the key)");
    assertMessage(
        BASE + "outputs:\n  socket:\n    path: /run/a.sock\n    allow-uids: [1000, ~]\n",
        "sidecar.yaml:8: outputs.socket.allow-uids[1]: expected a plain value, got no value (write"
            + " it as a list, like [1000, app])");
    assertMessage(
        BASE + "env-from:\n  - [secret/app]\n",
        "sidecar.yaml:6: env-from[0]: expected path: and optional prefix:, sanitize:, got a list"
            + " (write it like - path: secret/app/prod)");
    assertMessage(
        BASE + "outputs:\n  files:\n    - ~\n",
        "sidecar.yaml:7: outputs.files[0]: expected path:, format: and other keys, got no value"
            + " (write it like - path: /run/secrets/app.env)");
    assertMessage(
        "openbao:\n  address: http://127.0.0.1:8200\nsecrets:\n  A: ~\n",
        "sidecar.yaml:4: secrets.A: expected a reference like secret/app/db#password, got no value"
            + " (write PATH#KEY or PATH#KEY@VERSION)");
    assertMessage(
        BASE + "refresh:\n  intervall: 5s\n",
        "sidecar.yaml:6: refresh.intervall: unknown key (did you mean interval?)");
  }

  private static void assertMessage(String yaml, String expected) {
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml, NAME, ENV), yaml);
    assertEquals(expected, e.getMessage(), yaml);
  }
}
