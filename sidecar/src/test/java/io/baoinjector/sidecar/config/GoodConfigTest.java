package io.baoinjector.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.config.OutputSettings.FileSpec;
import io.baoinjector.sidecar.config.OutputSettings.Format;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code good-config/} fixtures parse into exactly the records they describe. */
class GoodConfigTest {
  private static final Path DIR = Fixtures.dir("good-config");

  @Test
  void fullExampleParsesIntoEveryRecord() {
    Path file = DIR.resolve("full.yaml");
    SidecarConfig c = ConfigLoader.load(file, Map.of());

    Map<String, Reference> secrets = new LinkedHashMap<>();
    secrets.put("DB_USER", Reference.parse("secret/app/db#username"));
    secrets.put("DB_PASSWORD", Reference.parse("secret/app/db#password"));
    secrets.put("STRIPE_KEY", Reference.parse("secret/app/stripe#api_key@3"));
    secrets.put("PG_USER", Reference.parse("database/creds/app#username"));
    secrets.put("PG_PASSWORD", Reference.parse("database/creds/app#password"));
    List<String> onChange =
        List.of("curl", "-fsS", "-X", "POST", "http://127.0.0.1:8080/actuator/refresh");
    SidecarConfig expected =
        new SidecarConfig(
            file,
            TestSettings.openbao(
                List.of(
                    URI.create("https://bao-0.example:8200"),
                    URI.create("https://bao-1.example:8200")),
                "team-a",
                DIR.resolve("bao-ca.pem"),
                false),
            new AuthSettings(
                AuthSettings.Method.APPROLE,
                "approle/prod",
                null,
                null,
                DIR.resolve("role-id"),
                Path.of("/run/bao/secret-id"),
                true,
                true,
                null,
                null),
            true,
            secrets,
            List.of(
                new SidecarConfig.EnvFrom(Reference.wholeSecret("secret/app/prod"), "", false),
                new SidecarConfig.EnvFrom(
                    Reference.wholeSecret("secret/app/extra"), "EXTRA_", true),
                new SidecarConfig.EnvFrom(
                    Reference.wholeSecret("secret/app/shorthand"), "", false)),
            Map.of("spring.datasource.password", Reference.parse("secret/app/db#password")),
            TestSettings.refresh(Duration.ofSeconds(90)),
            new OutputSettings(
                new OutputSettings.Socket(
                    Path.of("/run/bao-injector/agent.sock"),
                    0660,
                    List.of("1000", "app"),
                    1000,
                    2000),
                new OutputSettings.Http(new InetSocketAddress("127.0.0.1", 9102)),
                List.of(
                    new FileSpec(
                        Path.of("/run/secrets/app.env"),
                        Format.DOTENV,
                        List.of("DB_USER", "DB_PASSWORD"),
                        null,
                        null,
                        0440,
                        1000,
                        1000,
                        true,
                        onChange,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(20)),
                    file("/run/secrets/db-password", Format.RAW, "DB_PASSWORD", null),
                    file(
                        "/run/secrets/config.json",
                        Format.TEMPLATE,
                        null,
                        DIR.resolve("config.json.tmpl")),
                    file("/run/secrets/app.properties", Format.PROPERTIES, null, null),
                    file("/run/secrets/all.json", Format.JSON, null, null))),
            TestSettings.leases(Duration.ofSeconds(45), false),
            true,
            TestSettings.cache(
                Path.of("/run/bao-injector-cache/values"),
                Path.of("/etc/bao-injector/cache-key"),
                false),
            new MaskSettings(true, 8),
            Map.of(),
            null);
    assertEquals(expected, c);
    // file order is kept, as the records promise
    assertEquals(List.copyOf(secrets.keySet()), List.copyOf(c.secrets().keySet()));
  }

  private static FileSpec file(String path, Format format, String name, Path template) {
    return new FileSpec(
        Path.of(path),
        format,
        null,
        name,
        template,
        0400,
        null,
        null,
        false,
        List.of(),
        Duration.ofSeconds(30));
  }

  @Test
  void minimalConfigTakesAddressAndTokenFromTheEnvironment() {
    SidecarConfig c =
        ConfigLoader.load(
            DIR.resolve("minimal.yaml"),
            Map.of("BAO_ADDR", "http://127.0.0.1:8200", "BAO_TOKEN", Fixtures.CANARY_TOKEN));
    assertEquals(List.of(URI.create("http://127.0.0.1:8200")), c.openbao().addresses());
    assertEquals("", c.openbao().namespace());
    assertNull(c.openbao().caCert());
    assertEquals(AuthSettings.Method.TOKEN, c.auth().method());
    assertEquals("token", c.auth().mount());
    assertEquals(SecretValue.of(Fixtures.CANARY_TOKEN), c.auth().token());
    assertEquals(Duration.ofSeconds(30), c.refresh().interval());
    assertEquals(TestSettings.leases(Duration.ofSeconds(60), true), c.leases());
    assertEquals(OutputSettings.NONE, c.outputs());
    assertEquals(false, c.revokeOnExit());
  }

  @Test
  void kubernetesDefaultsToTheServiceAccountToken() {
    SidecarConfig c = ConfigLoader.load(DIR.resolve("kubernetes.yaml"), Map.of());
    assertEquals(AuthSettings.Method.KUBERNETES, c.auth().method());
    assertEquals("kubernetes", c.auth().mount());
    assertEquals("app", c.auth().role());
    assertEquals(AuthSettings.KUBERNETES_DEFAULT_JWT, c.auth().jwtFile());
    assertNull(c.auth().token(), "an environment token is for method token only");
  }

  @Test
  void jwtWithAPropertiesOnlyConfig() {
    SidecarConfig c =
        ConfigLoader.load(DIR.resolve("jwt.yaml"), Map.of("BAO_TOKEN", Fixtures.CANARY_TOKEN));
    assertEquals(
        new AuthSettings(
            AuthSettings.Method.JWT,
            "jwt-ci",
            null,
            null,
            null,
            null,
            false,
            false,
            "ci",
            Path.of("/var/run/secrets/tokens/bao")),
        c.auth());
    assertEquals(Map.of(), c.secrets());
    assertEquals(1, c.properties().size());
  }
}
