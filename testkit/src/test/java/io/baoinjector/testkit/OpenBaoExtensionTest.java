package io.baoinjector.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(OpenBaoExtension.class)
@Timeout(120)
class OpenBaoExtensionTest {

  @Test
  void startsARealServerWithKvV2AtSecret(OpenBao bao) {
    int v1 = bao.put("app/db", Map.of("password", "one"));
    int v2 = bao.put("app/db", Map.of("password", "two"));
    assertEquals(v1 + 1, v2);
    assertEquals(
        "two",
        bao.api("GET", "secret/data/app/db", null)
            .path("data")
            .path("data")
            .path("password")
            .asText());
    assertTrue(bao.cli("version").startsWith("OpenBao v"));
  }

  @Test
  void setsUpAppRoleJwtAndKvV1(OpenBao bao) {
    bao.enableKvV1("kv1");
    bao.kvV1Put("kv1", "app", Map.of("k", "v"));
    bao.writePolicy("read", "path \"kv1/*\" { capabilities = [\"read\"] }");
    OpenBao.AppRole r = bao.appRole("app", Map.of("token_policies", "read"));
    String token =
        bao.api(
                null,
                "POST",
                "auth/approle/login",
                Map.of("role_id", r.roleId(), "secret_id", r.secretId()))
            .path("auth")
            .path("client_token")
            .asText();
    assertEquals("v", bao.api(token, "GET", "kv1/app", null).path("data").path("k").asText());

    Jwt jwt = bao.jwtAuth("app", List.of("read"));
    String jwtToken =
        bao.api(
                null,
                "POST",
                "auth/jwt/login",
                Map.of("role", "app", "jwt", jwt.sign("svc", Duration.ofMinutes(5))))
            .path("auth")
            .path("client_token")
            .asText();
    assertFalse(jwtToken.isEmpty());
  }

  @Test
  void restartsEmptyOnTheSameAddress(OpenBao bao) {
    String addr = bao.address();
    bao.put("app/x", Map.of("a", "b"));
    bao.stop();
    assertFalse(bao.isRunning());
    bao.restart();
    assertEquals(addr, bao.address());
    assertEquals(404, bao.raw(bao.rootToken(), "GET", "secret/data/app/x", null).statusCode());
  }

  @Test
  @BaoServer(leasedKv = true)
  void leasedKvHandsOutLeases(OpenBao bao) {
    bao.enableKvV1("leased");
    bao.kvV1Put("leased", "db", Map.of("password", "p", "ttl", "30s"));
    var r = bao.api("GET", "leased/db", null);
    assertTrue(r.path("renewable").asBoolean(), r.toString());
    assertFalse(r.path("lease_id").asText().isEmpty(), r.toString());
  }
}
