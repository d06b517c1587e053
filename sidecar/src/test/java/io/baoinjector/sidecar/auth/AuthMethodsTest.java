package io.baoinjector.sidecar.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.config.AuthSettings;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.SelfSignedTls;
import io.baoinjector.testkit.Jwt;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(OpenBaoExtension.class)
@Timeout(120)
class AuthMethodsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content + "\n");
  }

  @Test
  void tokenFromEnvironmentIsLookedUp(OpenBao bao) {
    Fixtures.secretAndPolicy(bao, "pw-token");
    String t = bao.createToken(Map.of("policies", List.of(Fixtures.POLICY), "ttl", "1h"));
    OpenBaoClient client = Fixtures.client(bao);
    Token token = AuthMethod.create(AuthSettings.token(SecretValue.of(t))).login(client);
    assertEquals(t, token.clientToken().reveal());
    assertTrue(token.renewable());
    assertTrue(token.ttl().compareTo(Duration.ofMinutes(50)) > 0, token.toString());
    assertTrue(token.policies().contains(Fixtures.POLICY), token.policies().toString());
    assertEquals("pw-token", Fixtures.readPassword(client, token.clientToken()));
    assertFalse(token.toString().contains(t));
    assertTrue(token.toString().contains(token.accessor()));
  }

  @Test
  void tokenFromFileAndFromVaultTokenFile(OpenBao bao) throws Exception {
    Fixtures.secretAndPolicy(bao, "pw-file");
    String t = bao.createToken(Map.of("policies", List.of(Fixtures.POLICY)));
    OpenBaoClient client = Fixtures.client(bao);
    Token fromFile = new TokenAuth(null, write("token", t)).login(client);
    assertEquals("pw-file", Fixtures.readPassword(client, fromFile.clientToken()));

    Path home = Files.createDirectories(dir.resolve("home"));
    Files.writeString(home.resolve(".vault-token"), t);
    Token fromHome = new TokenAuth(null, null, home).login(client);
    assertEquals(t, fromHome.clientToken().reveal());

    AuthException none =
        assertThrows(
            AuthException.class,
            () -> new TokenAuth(null, null, dir.resolve("empty-home")).login(client));
    assertTrue(none.getMessage().contains("BAO_TOKEN"), none.getMessage());
  }

  @Test
  void appRoleLogsInAndDeletesTheSecretIdFile(OpenBao bao) throws Exception {
    Fixtures.secretAndPolicy(bao, "pw-approle");
    OpenBao.AppRole role = bao.appRole("app", Map.of("token_policies", Fixtures.POLICY));
    Path roleId = write("role-id", role.roleId());
    Path secretId = write("secret-id", role.secretId());
    OpenBaoClient client = Fixtures.client(bao);
    AuthMethod auth = AuthMethod.create(Fixtures.appRole(roleId, secretId, false, false));

    Token first = auth.login(client);
    assertEquals("pw-approle", Fixtures.readPassword(client, first.clientToken()));
    assertFalse(Files.exists(secretId), "secret-id file removed after the first login");
    assertTrue(Files.exists(roleId));

    Token second = auth.login(client);
    assertFalse(first.clientToken().equals(second.clientToken()), "a fresh token");
    assertEquals("pw-approle", Fixtures.readPassword(client, second.clientToken()));
  }

  @Test
  void appRoleKeepsTheFileWhenAsked(OpenBao bao) throws Exception {
    Fixtures.secretAndPolicy(bao, "pw-keep");
    OpenBao.AppRole role = bao.appRole("app", Map.of("token_policies", Fixtures.POLICY));
    Path secretId = write("secret-id", role.secretId());
    OpenBaoClient client = Fixtures.client(bao);
    Token t =
        AuthMethod.create(Fixtures.appRole(write("role-id", role.roleId()), secretId, false, true))
            .login(client);
    assertEquals("pw-keep", Fixtures.readPassword(client, t.clientToken()));
    assertEquals(role.secretId(), Files.readString(secretId).trim());
  }

  @Test
  void appRoleOnAReadOnlyMountOnlyWarns(OpenBao bao) throws Exception {
    Fixtures.secretAndPolicy(bao, "pw-ro");
    OpenBao.AppRole role = bao.appRole("app", Map.of("token_policies", Fixtures.POLICY));
    Path secretId = write("secret-id", role.secretId());
    AppRoleAuth auth =
        new AppRoleAuth(
            "approle",
            write("role-id", role.roleId()),
            secretId,
            false,
            false,
            f -> {
              throw new java.nio.file.FileSystemException(f.toString(), null, "Read-only");
            });
    OpenBaoClient client = Fixtures.client(bao);
    Token t = auth.login(client);
    assertEquals("pw-ro", Fixtures.readPassword(client, t.clientToken()));
    assertTrue(Files.exists(secretId));
    // the unchanged file is not sent again as if new: the remembered secret id is used
    assertEquals("pw-ro", Fixtures.readPassword(client, auth.login(client).clientToken()));
  }

  @Test
  void appRoleReadsANewSecretIdFileWrittenLater(OpenBao bao) throws Exception {
    Fixtures.secretAndPolicy(bao, "pw-new");
    OpenBao.AppRole role =
        bao.appRole("app", Map.of("token_policies", Fixtures.POLICY, "secret_id_num_uses", 1));
    Path secretId = write("secret-id", role.secretId());
    OpenBaoClient client = Fixtures.client(bao);
    AuthMethod auth =
        AuthMethod.create(
            Fixtures.appRole(write("role-id", role.roleId()), secretId, false, false));
    auth.login(client);
    // the single-use secret id is spent: a re-login needs the new file
    assertThrows(OpenBaoException.class, () -> auth.login(client));
    write("secret-id", bao.newSecretId("app"));
    assertEquals("pw-new", Fixtures.readPassword(client, auth.login(client).clientToken()));
  }

  @Test
  void appRoleMissingFilesNameTheKey(OpenBao bao) {
    OpenBaoClient client = Fixtures.client(bao);
    AuthException e =
        refused(
            Fixtures.appRole(dir.resolve("nope-role"), dir.resolve("nope"), false, false), client);
    assertEquals("auth.role-id-file: file not found: " + dir.resolve("nope-role"), e.getMessage());
  }

  @Test
  void wrappedSecretIdIsUnwrapped(OpenBao bao) throws Exception {
    Fixtures.secretAndPolicy(bao, "pw-wrapped");
    OpenBao.AppRole role = bao.appRole("app", Map.of("token_policies", Fixtures.POLICY));
    Path secretId = write("secret-id", bao.wrappedSecretId("app", "60s"));
    OpenBaoClient client = Fixtures.client(bao);
    AuthMethod auth =
        AuthMethod.create(Fixtures.appRole(write("role-id", role.roleId()), secretId, true, false));
    Token t = auth.login(client);
    assertEquals("pw-wrapped", Fixtures.readPassword(client, t.clientToken()));
    assertFalse(Files.exists(secretId));
    // re-login uses the unwrapped secret id kept in memory (the wrapping token is spent)
    assertEquals("pw-wrapped", Fixtures.readPassword(client, auth.login(client).clientToken()));
  }

  @Test
  void wrappingTokenFromElsewhereIsRefused(OpenBao bao) throws Exception {
    OpenBao.AppRole role = bao.appRole("app", Map.of("token_policies", "default"));
    String wrapping = bao.wrap(Map.of("secret_id", "attacker-chosen"), "60s");
    Path secretId = write("secret-id", wrapping);
    OpenBaoClient client = Fixtures.client(bao);
    AuthException e =
        refused(Fixtures.appRole(write("role-id", role.roleId()), secretId, true, false), client);
    assertTrue(e.getMessage().contains("sys/wrapping/wrap"), e.getMessage());
    assertTrue(e.getMessage().contains("tampering"), e.getMessage());
    assertFalse(e.getMessage().contains(wrapping), e.getMessage());
    assertTrue(Files.exists(secretId), "a refused file is left for inspection");
    // it was only looked up, not unwrapped
    JsonNode still = bao.api("POST", "sys/wrapping/lookup", Map.of("token", wrapping));
    assertEquals("sys/wrapping/wrap", still.path("data").path("creation_path").asText());
  }

  @Test
  void spentWrappingTokenIsRefused(OpenBao bao) throws Exception {
    OpenBao.AppRole role = bao.appRole("app", Map.of("token_policies", "default"));
    String wrapping = bao.wrappedSecretId("app", "60s");
    bao.api(wrapping, "POST", "sys/wrapping/unwrap", null); // someone else got there first
    OpenBaoClient client = Fixtures.client(bao);
    AuthException e =
        refused(
            Fixtures.appRole(
                write("role-id", role.roleId()), write("secret-id", wrapping), true, false),
            client);
    assertTrue(e.getMessage().contains("already used"), e.getMessage());
  }

  @Test
  void jwtFileIsReReadAtEachLogin(OpenBao bao) throws Exception {
    Fixtures.secretAndPolicy(bao, "pw-jwt");
    Jwt signer = bao.jwtAuth("ci", List.of(Fixtures.POLICY));
    Path jwtFile = write("jwt", signer.sign("build-1", Duration.ofMinutes(5)));
    OpenBaoClient client = Fixtures.client(bao);
    AuthMethod auth =
        AuthMethod.create(Fixtures.roleAndFile(AuthSettings.Method.JWT, "ci", jwtFile));
    Token first = auth.login(client);
    assertEquals("pw-jwt", Fixtures.readPassword(client, first.clientToken()));
    assertEquals("build-1", displayName(bao, first));

    write("jwt", signer.sign("build-2", Duration.ofMinutes(5)));
    Token second = auth.login(client);
    assertEquals("build-2", displayName(bao, second), "the rotated file was read");

    write("jwt", "not-a-jwt");
    assertThrows(OpenBaoException.class, () -> auth.login(client));
  }

  /** The login's refusal; the method is created inside the check, as a refusal may come there. */
  private static AuthException refused(AuthSettings settings, OpenBaoClient client) {
    return assertThrows(AuthException.class, () -> AuthMethod.create(settings).login(client));
  }

  private static String displayName(OpenBao bao, Token t) {
    JsonNode d =
        bao.api("POST", "auth/token/lookup", Map.of("token", t.clientToken().reveal()))
            .path("data");
    String name = d.path("display_name").asText();
    return name.startsWith("jwt-") ? name.substring(4) : name;
  }

  @Test
  void kubernetesLogsInThroughTokenReview(OpenBao bao) throws Exception {
    Fixtures.secretAndPolicy(bao, "pw-k8s");
    try (MockWebServer k8s = new MockWebServer()) {
      k8s.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
              if (!"/apis/authentication.k8s.io/v1/tokenreviews".equals(r.getPath())) {
                return new MockResponse().setResponseCode(404);
              }
              return new MockResponse()
                  .setResponseCode(201)
                  .setHeader("Content-Type", "application/json")
                  .setBody(
                      "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenReview\","
                          + "\"status\":{\"authenticated\":true,\"user\":{"
                          + "\"username\":\"system:serviceaccount:default:app\","
                          + "\"uid\":\"uid-1\",\"groups\":[\"system:serviceaccounts\"]}}}");
            }
          });
      k8s.start(InetAddress.getLoopbackAddress(), 0);
      kubernetesAuth(bao, "http://127.0.0.1:" + k8s.getPort());
      String sa1 = Fixtures.serviceAccountJwt("uid-1");
      Path saFile = write("sa-token", sa1);
      OpenBaoClient client = Fixtures.client(bao);
      AuthMethod auth =
          AuthMethod.create(Fixtures.roleAndFile(AuthSettings.Method.KUBERNETES, "app", saFile));
      Token t = auth.login(client);
      assertEquals("pw-k8s", Fixtures.readPassword(client, t.clientToken()));
      assertEquals(sa1, reviewedToken(k8s.takeRequest(10, TimeUnit.SECONDS)));

      String sa2 = Fixtures.serviceAccountJwt("uid-1");
      write("sa-token", sa2);
      auth.login(client);
      assertEquals(sa2, reviewedToken(k8s.takeRequest(10, TimeUnit.SECONDS)), "file re-read");
    }
  }

  private void kubernetesAuth(OpenBao bao, String host) throws Exception {
    String ca = Files.readString(SelfSignedTls.create(dir).pem);
    bao.kubernetesAuth(host, ca, "app", List.of(Fixtures.POLICY));
  }

  private static String reviewedToken(RecordedRequest r) throws IOException {
    assertEquals("POST", r.getMethod());
    assertEquals("Bearer reviewer-jwt", r.getHeader("Authorization"));
    return JSON.readTree(r.getBody().readUtf8()).path("spec").path("token").asText();
  }
}
