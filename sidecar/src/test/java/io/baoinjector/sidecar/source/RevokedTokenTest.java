package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.auth.TokenAuth;
import io.baoinjector.sidecar.config.TestSettings;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.TokenInvalidException;
import io.baoinjector.sidecar.token.TokenManager;
import io.baoinjector.sidecar.token.TokenObserver;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 8, defect 15: a revoked token was reported as "OpenBao unreachable ... 403". The read, the
 * verdict and the failed re-login must each say the token is no longer valid.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(60)
class RevokedTokenTest {
  @Test
  void revokedTokenIsReportedAsNoLongerValid(OpenBao bao) throws Exception {
    bao.put("app/db", Map.of("password", "pw-revoked"));
    String t = bao.createToken(Map.of("policies", List.of("root")));
    OpenBaoClient client = new OpenBaoClient(TestSettings.openbao(URI.create(bao.address())));
    List<Exception> loginFailures = new CopyOnWriteArrayList<>();
    CountDownLatch failed = new CountDownLatch(1);
    TokenObserver observer =
        new TokenObserver() {
          @Override
          public void onLoginFailure(Exception e) {
            loginFailures.add(e);
            failed.countDown();
          }
        };
    try (TokenManager m =
        TokenManager.builder(client, new TokenAuth(SecretValue.of(t), null))
            .observer(observer)
            .waitLimit(Duration.ofSeconds(20))
            .build()) {
      m.start();
      Reader reader = new Reader(client, m);
      assertEquals(
          "pw-revoked",
          reader.get("secret/data/app/db").path("data").path("data").path("password").asText());

      bao.cli("token", "revoke", t);

      TokenInvalidException e =
          assertThrows(TokenInvalidException.class, () -> reader.get("secret/data/app/db"));
      assertEquals(
          "GET secret/data/app/db: status 403: token is no longer valid (revoked or expired);"
              + " logging in again",
          e.getMessage());
      // the verdict is given as the login fails; its observer call follows a moment later
      assertTrue(failed.await(20, TimeUnit.SECONDS), "a re-login was tried");
      assertEquals(1, loginFailures.size(), "one re-login: " + loginFailures);
      String login = loginFailures.get(0).getMessage();
      assertTrue(
          login.startsWith(
              "GET auth/token/lookup-self: status 403: token is no longer valid (revoked or"
                  + " expired); give a new one"),
          login);
      assertFalse(e.getMessage().contains(t) || login.contains(t), "no token in messages");
    }
  }
}
