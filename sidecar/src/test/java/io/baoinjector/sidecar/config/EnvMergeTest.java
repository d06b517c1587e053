package io.baoinjector.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.SecretValue;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment fills what the file leaves out, BAO_* before VAULT_*, and defaults apply. */
class EnvMergeTest {
  private static final String NAMES = "secrets:\n  DB_PASSWORD: secret/app/db#password\n";
  private static final Path FILE = Path.of("sidecar.yaml");

  private static SidecarConfig load(String yaml, Map<String, String> env) {
    return ConfigLoader.load(yaml, FILE, env);
  }

  private static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    m.putIfAbsent("BAO_TOKEN", Fixtures.CANARY_TOKEN);
    return m;
  }

  @Test
  void baoAddrBeatsVaultAddr() {
    SidecarConfig c =
        load(NAMES, env("BAO_ADDR", "https://bao:8200", "VAULT_ADDR", "https://vault:8200"));
    assertEquals(List.of(URI.create("https://bao:8200")), c.openbao().addresses());
  }

  @Test
  void vaultAddrIsUsedWhenBaoAddrIsUnsetOrEmpty() {
    SidecarConfig c = load(NAMES, env("BAO_ADDR", "", "VAULT_ADDR", "https://vault:8200"));
    assertEquals(List.of(URI.create("https://vault:8200")), c.openbao().addresses());
  }

  @Test
  void theFileBeatsTheEnvironment() {
    String yaml =
        "openbao:\n  address: http://file:8200\n  namespace: file-ns\n  tls-skip-verify: false\n"
            + NAMES;
    SidecarConfig c =
        load(
            yaml,
            env(
                "BAO_ADDR",
                "https://env:8200",
                "BAO_NAMESPACE",
                "env-ns",
                "BAO_SKIP_VERIFY",
                "true"));
    assertEquals(List.of(URI.create("http://file:8200")), c.openbao().addresses());
    assertEquals("file-ns", c.openbao().namespace());
    assertFalse(c.openbao().tlsSkipVerify());
  }

  @Test
  void namespaceCaCertAndSkipVerifyComeFromTheEnvironment(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "pem");
    SidecarConfig c =
        load(
            NAMES,
            env(
                "BAO_ADDR", "https://bao:8200",
                "VAULT_NAMESPACE", "vault-ns",
                "VAULT_CACERT", ca.toString(),
                "VAULT_SKIP_VERIFY", "1"));
    assertEquals("vault-ns", c.openbao().namespace());
    assertEquals(ca, c.openbao().caCert());
    assertTrue(c.openbao().tlsSkipVerify());

    c =
        load(
            NAMES,
            env(
                "BAO_ADDR",
                "https://bao:8200",
                "BAO_NAMESPACE",
                "bao-ns",
                "VAULT_NAMESPACE",
                "v",
                "BAO_SKIP_VERIFY",
                "false",
                "VAULT_SKIP_VERIFY",
                "true"));
    assertEquals("bao-ns", c.openbao().namespace());
    assertFalse(c.openbao().tlsSkipVerify());
  }

  @Test
  void aBadEnvironmentValueNamesTheVariable() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                load(NAMES, env("BAO_ADDR", "https://bao:8200", "BAO_SKIP_VERIFY", "yes please")));
    assertEquals(
        "sidecar.yaml: openbao.tls-skip-verify (from $BAO_SKIP_VERIFY): \"yes please\" is not true or"
            + " false (set $BAO_SKIP_VERIFY to true or false)",
        e.getMessage());

    e = assertThrows(ConfigException.class, () -> load(NAMES, env("VAULT_ADDR", "bao:8200")));
    assertEquals(
        "sidecar.yaml: openbao.address (from $VAULT_ADDR): \"bao:8200\" is not an http(s) URL (write"
            + " it as https://HOST:PORT or http://HOST:PORT)",
        e.getMessage());

    e =
        assertThrows(
            ConfigException.class,
            () ->
                load(
                    NAMES,
                    env("BAO_ADDR", "https://bao:8200", "BAO_CACERT", "/nonexistent/ca.pem")));
    assertEquals(
        "sidecar.yaml: openbao.ca-cert (from $BAO_CACERT): file not found: /nonexistent/ca.pem"
            + " (create it or fix the path)",
        e.getMessage());
  }

  @Test
  void addressTakesAListForHa() {
    String yaml = "openbao:\n  address: [https://a:8200, https://b:8200]\n" + NAMES;
    SidecarConfig c = load(yaml, env("BAO_ADDR", "https://ignored:8200"));
    assertEquals(
        List.of(URI.create("https://a:8200"), URI.create("https://b:8200")),
        c.openbao().addresses());
  }

  @Test
  void tokenComesFromBaoTokenThenVaultToken() {
    Map<String, String> both = env("BAO_ADDR", "http://b:8200", "VAULT_TOKEN", "vault-token-value");
    assertEquals(SecretValue.of(Fixtures.CANARY_TOKEN), load(NAMES, both).auth().token());

    Map<String, String> vaultOnly = new HashMap<>(both);
    vaultOnly.remove("BAO_TOKEN");
    assertEquals(SecretValue.of("vault-token-value"), load(NAMES, vaultOnly).auth().token());
  }

  @Test
  void theTokenNeverShowsInToString() {
    SidecarConfig c = load(NAMES, env("BAO_ADDR", "http://b:8200"));
    assertFalse(c.toString().contains(Fixtures.CANARY_TOKEN), c.toString());
  }

  @Test
  void aTokenFileBeatsTheEnvironmentToken(@TempDir Path dir) throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("token"), "t");
    String yaml = "auth:\n  method: token\n  token-file: " + tokenFile + "\n" + NAMES;
    SidecarConfig c = load(yaml, env("BAO_ADDR", "http://b:8200"));
    assertEquals(tokenFile, c.auth().tokenFile());
    assertNull(c.auth().token());
  }

  @Test
  void tokenMethodWithoutAnyTokenIsAnError(@TempDir Path home) throws Exception {
    Map<String, String> e =
        new HashMap<>(Map.of("BAO_ADDR", "http://b:8200", "HOME", home.toString()));
    ConfigException ex = assertThrows(ConfigException.class, () -> load(NAMES, e));
    assertEquals(
        "sidecar.yaml: auth: method token has no token (set auth.token-file, export BAO_TOKEN, or run"
            + " bao login to write ~/.vault-token)",
        ex.getMessage());

    // bao login's ~/.vault-token is enough; the auth code reads it
    Files.writeString(home.resolve(".vault-token"), "t");
    SidecarConfig c = load(NAMES, e);
    assertNull(c.auth().token());
    assertNull(c.auth().tokenFile());
  }

  @Test
  void defaults(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("role-id"), "r");
    String yaml =
        "openbao:\n  address: http://b:8200\n"
            + "auth:\n  method: approle\n  role-id-file: role-id\n  secret-id-file: secret-id\n"
            + NAMES
            + "outputs:\n  socket:\n    path: agent.sock\n  files:\n"
            + "    - path: out/app.env\n      format: dotenv\n      on-change: [kill, -HUP, '1']\n";
    SidecarConfig c = ConfigLoader.load(yaml, dir.resolve("sidecar.yaml"), Map.of());
    assertEquals("approle", c.auth().mount());
    assertEquals(dir.resolve("role-id"), c.auth().roleIdFile(), "relative to the config file");
    assertEquals(dir.resolve("secret-id"), c.auth().secretIdFile());
    assertFalse(c.auth().keepSecretIdFile());
    assertFalse(c.auth().secretIdWrapped());
    assertFalse(c.revokeOnExit());
    assertEquals(Duration.ofSeconds(30), c.refresh().interval());
    assertEquals(0660, c.outputs().socket().mode());
    assertEquals(dir.resolve("agent.sock"), c.outputs().socket().path());
    assertEquals(List.of(), c.outputs().socket().allowUids());
    OutputSettings.FileSpec f = c.outputs().files().get(0);
    assertEquals(0400, f.mode());
    assertEquals(dir.resolve("out/app.env"), f.path());
    assertNull(f.names(), "every name");
    assertFalse(f.allowDisk());
    assertEquals(List.of("kill", "-HUP", "1"), f.onChange());
    assertEquals(Duration.ofSeconds(30), f.onChangeTimeout());
  }

  @Test
  void quotedBooleansAndIdsAreReadAsMeant() {
    String yaml =
        "openbao:\n  address: http://b:8200\n  tls-skip-verify: \"true\"\n"
            + NAMES
            + "outputs:\n  files:\n    - path: /run/a.env\n      format: dotenv\n"
            + "      uid: \"1000\"\n      gid: 0\n";
    SidecarConfig c = load(yaml, env());
    assertTrue(c.openbao().tlsSkipVerify());
    assertEquals(1000, c.outputs().files().get(0).uid());
    assertEquals(0, c.outputs().files().get(0).gid());
  }

  @Test
  void durationsAndModes() {
    String yaml =
        "openbao:\n  address: http://b:8200\n"
            + NAMES
            + "refresh:\n  interval: 500ms\n"
            + "outputs:\n  files:\n    - path: /run/a.env\n      format: dotenv\n      mode: 0600\n"
            + "    - path: /run/b.env\n      format: dotenv\n      mode: '644'\n"
            + "      on-change: [true]\n      on-change-timeout: 1h30m\n";
    SidecarConfig c = load(yaml, env());
    assertEquals(Duration.ofMillis(500), c.refresh().interval());
    assertEquals(0600, c.outputs().files().get(0).mode(), "unquoted 0600 read as octal");
    assertEquals(0644, c.outputs().files().get(1).mode());
    assertEquals(Duration.ofMinutes(90), c.outputs().files().get(1).onChangeTimeout());
  }
}
