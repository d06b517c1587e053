package io.baoinjector.sidecar.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.shared.Backoff;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.auth.AuthMethod;
import io.baoinjector.sidecar.auth.Fixtures;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import io.baoinjector.sidecar.openbao.RequestObserver;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The token lifecycle against a real OpenBao, in wall time. */
@ExtendWith(OpenBaoExtension.class)
@Timeout(120)
class TokenLifecycleTest {
  @TempDir Path dir;

  private AuthMethod appRole(OpenBao bao, Map<String, ?> roleOptions) throws Exception {
    OpenBao.AppRole role = bao.appRole("app", roleOptions);
    Path roleId = Files.writeString(dir.resolve("role-id"), role.roleId());
    Path secretId = Files.writeString(dir.resolve("secret-id"), role.secretId());
    return AuthMethod.create(Fixtures.appRole(roleId, secretId, false, false));
  }

  /**
   * Must show: a token with TTL 5s and max TTL 20s is renewed, then replaced by a fresh login, and
   * a reader using {@code currentToken()} every 200ms never fails meanwhile.
   */
  @Test
  void shortTtlTokenIsRenewedThenReplacedWithNoGap(OpenBao bao) throws Exception {
    Fixtures.secretAndPolicy(bao, "pw-lifecycle");
    AuthMethod auth =
        appRole(
            bao,
            Map.of("token_policies", Fixtures.POLICY, "token_ttl", "5s", "token_max_ttl", "20s"));
    OpenBaoClient client = Fixtures.client(bao);
    RecordingObserver observer = new RecordingObserver();
    List<String> failures = new CopyOnWriteArrayList<>();
    List<SecretValue> tokensSeen = new ArrayList<>();
    try (TokenManager m = TokenManager.builder(client, auth).observer(observer).build()) {
      m.start();
      long end = System.nanoTime() + Duration.ofSeconds(28).toNanos();
      int reads = 0;
      while (System.nanoTime() < end) {
        SecretValue t = m.currentToken();
        if (!tokensSeen.contains(t)) {
          tokensSeen.add(t);
        }
        try {
          assertEquals("pw-lifecycle", Fixtures.readPassword(client, t));
        } catch (RuntimeException | AssertionError e) {
          failures.add(e.getMessage());
        }
        reads++;
        Thread.sleep(200);
      }
      assertEquals(List.of(), failures, "no failed read in " + reads + " reads");
      assertTrue(observer.count("renewal") >= 2, "renewed: " + observer.events);
      assertTrue(observer.count("login") >= 2, "logged in again at max TTL: " + observer.events);
      assertTrue(tokensSeen.size() >= 2, "the reader moved to the new token");
      assertEquals(0, observer.count("login-failed") + observer.count("renewal-failed"));
      int firstRelogin = observer.events.subList(1, observer.events.size()).indexOf("login") + 1;
      assertTrue(
          observer.events.subList(1, firstRelogin).contains("renewal"),
          "renewed before the re-login: " + observer.events);
    }
  }

  /**
   * Issue 8, defect 15: fresh AppRole credentials were written, and the sidecar waited out its
   * login backoff (48s seen) before using them. The backoff here is at least 30s; the login must
   * come within a few poll periods of the write.
   */
  @Test
  void newSecretIdFileEndsTheLoginBackoffAtOnce(OpenBao bao) throws Exception {
    Fixtures.secretAndPolicy(bao, "pw-watch");
    OpenBao.AppRole role = bao.appRole("app", Map.of("token_policies", Fixtures.POLICY));
    Path roleId = Files.writeString(dir.resolve("role-id"), role.roleId());
    Path secretId = Files.writeString(dir.resolve("secret-id"), "not-the-secret-id");
    AuthMethod auth = AuthMethod.create(Fixtures.appRole(roleId, secretId, false, false));
    OpenBaoClient client = Fixtures.client(bao);
    CountDownLatch failed = new CountDownLatch(1);
    CountDownLatch loggedIn = new CountDownLatch(1);
    TokenObserver observer =
        new TokenObserver() {
          @Override
          public void onLogin(io.baoinjector.sidecar.auth.Token token) {
            loggedIn.countDown();
          }

          @Override
          public void onLoginFailure(Exception e) {
            failed.countDown();
          }
        };
    try (TokenManager m =
        TokenManager.builder(client, auth)
            .observer(observer)
            .backoff(new Backoff(Duration.ofSeconds(60), Duration.ofMinutes(5)))
            .credentialPoll(Duration.ofMillis(250))
            .build()) {
      m.start();
      assertTrue(failed.await(30, TimeUnit.SECONDS), "the bad secret id is refused");
      assertEquals(1, loggedIn.getCount());
      Files.writeString(dir.resolve("secret-id.new"), role.secretId());
      Files.move(
          dir.resolve("secret-id.new"), secretId, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      // the backoff says at least 30s; a few polls of 250ms plus one login is well under 10s
      assertTrue(loggedIn.await(10, TimeUnit.SECONDS), "logged in soon after the new file");
      assertEquals("pw-watch", Fixtures.readPassword(client, m.currentToken()));
    }
  }

  @Test
  void deadTokenFoundBy403IsReplacedOnceForManyCallers(OpenBao bao) throws Exception {
    Fixtures.secretAndPolicy(bao, "pw-dead");
    AuthMethod auth = appRole(bao, Map.of("token_policies", Fixtures.POLICY, "token_ttl", "1h"));
    AtomicInteger lookups = new AtomicInteger();
    OpenBaoClient client =
        OpenBaoClient.builder(Fixtures.settings(bao))
            .observer(
                e -> {
                  if (e.path().equals("auth/token/lookup-self")
                      && e.outcome() != RequestObserver.Outcome.RETRY) {
                    lookups.incrementAndGet();
                  }
                })
            .build();
    RecordingObserver observer = new RecordingObserver();
    try (TokenManager m = TokenManager.builder(client, auth).observer(observer).build()) {
      m.start();
      SecretValue old = m.currentToken();
      bao.api("POST", "auth/token/revoke", Map.of("token", old.reveal()));
      assertThrows(PermissionDeniedException.class, () -> Fixtures.readPassword(client, old));
      int lookupsBefore = lookups.get();

      int callers = 8;
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<ForbiddenVerdict>> verdicts = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        verdicts.add(
            pool.submit(
                () -> {
                  go.await();
                  return m.onForbidden(old);
                }));
      }
      go.countDown();
      for (Future<ForbiddenVerdict> v : verdicts) {
        assertEquals(ForbiddenVerdict.RETRY, v.get(60, TimeUnit.SECONDS));
      }
      pool.shutdown();
      assertEquals(2, observer.count("login"), "one re-login for all callers: " + observer.events);
      SecretValue fresh = m.currentToken();
      assertNotEquals(old, fresh);
      assertEquals("pw-dead", Fixtures.readPassword(client, fresh));
      // one lookup-self to find the token dead, one after the new login
      assertEquals(2, lookups.get() - lookupsBefore);
    }
  }

  @Test
  void forbiddenPathWithALiveTokenIsDeniedWithoutLogin(OpenBao bao) throws Exception {
    Fixtures.secretAndPolicy(bao, "pw");
    bao.put("other/db", Map.of("password", "not-yours"));
    AuthMethod auth = appRole(bao, Map.of("token_policies", Fixtures.POLICY));
    OpenBaoClient client = Fixtures.client(bao);
    RecordingObserver observer = new RecordingObserver();
    try (TokenManager m = TokenManager.builder(client, auth).observer(observer).build()) {
      m.start();
      SecretValue t = m.currentToken();
      assertThrows(PermissionDeniedException.class, () -> client.get("secret/data/other/db", t));
      assertEquals(ForbiddenVerdict.DENIED, m.onForbidden(t));
      assertTrue(m.isTokenAlive());
      assertEquals(List.of("login"), observer.events);
    }
  }

  @Test
  void revokeKillsTheToken(OpenBao bao) throws Exception {
    Fixtures.secretAndPolicy(bao, "pw");
    AuthMethod auth = appRole(bao, Map.of("token_policies", Fixtures.POLICY));
    OpenBaoClient client = Fixtures.client(bao);
    TokenManager m = TokenManager.builder(client, auth).build();
    m.start();
    SecretValue t = m.currentToken();
    assertEquals("pw", Fixtures.readPassword(client, t));
    assertTrue(m.revoke());
    assertThrows(PermissionDeniedException.class, () -> Fixtures.readPassword(client, t));
    assertFalse(bao.raw(t.reveal(), "GET", "auth/token/lookup-self", null).statusCode() == 200);
  }
}
