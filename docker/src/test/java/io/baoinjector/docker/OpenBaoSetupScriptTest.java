package io.baoinjector.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/openbao-setup.sh (the compose stack's `setup` service) against a real OpenBao: the AppRole
 * credentials it writes log in, read every reference of sidecar.compose.yaml, and nothing more.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(300)
class OpenBaoSetupScriptTest {
  static final String SCRIPT = "openbao-setup.sh";

  @TempDir Path tmp;

  private Proc.Result setup(OpenBao bao, Path approleDir) {
    return SetupScripts.run(
        bao,
        SCRIPT,
        tmp,
        Map.of("APPROLE_DIR", approleDir.toString(), "APP_UID", DockerfileTest.UID));
  }

  private static String login(OpenBao bao, Path approleDir) throws IOException {
    JsonNode auth =
        bao.api(
                null,
                "POST",
                "auth/approle/login",
                Map.of(
                    "role_id", Files.readString(approleDir.resolve("role-id")).strip(),
                    "secret_id", Files.readString(approleDir.resolve("secret-id")).strip()))
            .path("auth");
    assertEquals(
        List.of("default", "legacy-app-read"), Repo.texts(auth.path("policies")), "policies");
    return auth.path("client_token").asText();
  }

  @Test
  void approleCredentialsReadEveryComposeReferenceAndNothingElse(OpenBao bao) throws IOException {
    Path approle = tmp.resolve("approle");
    Proc.Result r = setup(bao, approle);
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("openbao-setup: policy legacy-app-read"), r.output());
    for (String f : List.of("role-id", "secret-id")) {
      Path file = approle.resolve(f);
      assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      if (Proc.isRoot()) {
        assertEquals(
            10001, Files.getAttribute(file, "unix:uid"), f + ": owned by the sidecar's uid");
      }
    }
    String token = login(bao, approle);

    SetupScripts.assertReadsEverySecret(bao, token, ComposeTest.SIDECAR_CONFIG);
    assertEquals(
        "initial-db-password",
        bao.api(token, "GET", "secret/data/app/db", null).at("/data/data/password").asText());
    // The refresh check reads version metadata.
    assertEquals(
        1,
        bao.api(token, "GET", "secret/metadata/app/db", null).at("/data/current_version").asInt());

    bao.put("other/db", Map.of("password", "not-for-this-app"));
    assertEquals(
        403, bao.raw(token, "GET", "secret/data/other/db", null).statusCode(), "other path");
    assertEquals(
        403,
        bao.raw(token, "POST", "secret/data/app/db", Map.of("data", Map.of("password", "x")))
            .statusCode(),
        "write");
    assertEquals(403, bao.raw(token, "LIST", "secret/metadata/app", null).statusCode(), "list");
    assertEquals(403, bao.raw(token, "GET", "sys/policies/acl/legacy-app-read", null).statusCode());
  }

  @Test
  void rerunKeepsSeededValuesAndIssuesAFreshSecretId(OpenBao bao) throws IOException {
    Path approle = tmp.resolve("approle");
    assertEquals(0, setup(bao, approle).exit());
    String firstSecretId = Files.readString(approle.resolve("secret-id"));
    bao.put("app/db", Map.of("username", "app", "password", "rotated-by-operator"));

    Proc.Result again = setup(bao, approle);
    assertEquals(0, again.exit(), again.output());
    assertNotEquals(firstSecretId, Files.readString(approle.resolve("secret-id")));
    String token = login(bao, approle);
    assertEquals(
        "rotated-by-operator",
        bao.api(token, "GET", "secret/data/app/db", null).at("/data/data/password").asText(),
        "a re-run must not overwrite a rotated secret");
  }

  @Test
  void refusesWithoutAnAddressInOneLine(OpenBao bao) {
    Proc.Result r =
        SetupScripts.run(bao, SCRIPT, tmp, Map.of("BAO_ADDR", "", "APPROLE_DIR", tmp.toString()));
    assertNotEquals(0, r.exit());
    assertTrue(r.output().contains("set BAO_ADDR to the OpenBao address"), r.output());
    assertEquals(1, r.output().strip().lines().count(), r.output());
  }
}
