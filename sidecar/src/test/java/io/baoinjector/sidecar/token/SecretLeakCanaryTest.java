package io.baoinjector.sidecar.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.auth.AuthMethod;
import io.baoinjector.sidecar.auth.Fixtures;
import io.baoinjector.sidecar.auth.TokenAuth;
import io.baoinjector.sidecar.config.TestSettings;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the login, renewal and read error paths with canary secrets and checks that no canary
 * reaches stderr (where slf4j-simple logs) or any exception message, cause chain included.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(120)
class SecretLeakCanaryTest {
  private static final String SECRET = "CANARY-secret-7f3a";
  private static final String SECRET_ID = "CANARY-secretid-0b1c";
  private static final String TOKEN = "s.CANARY-token-9d2e";

  @TempDir Path dir;

  private final List<String> messages = new ArrayList<>();
  private final List<String> canaries = new ArrayList<>(List.of(SECRET, SECRET_ID, TOKEN));
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureStderr() {
    originalErr = System.err;
    System.setErr(new PrintStream(new Tee(captured, originalErr), true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(originalErr);
  }

  private void record(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      messages.add(c.getClass().getName() + ": " + c.getMessage() + " / " + c);
    }
  }

  private void assertNoCanary() {
    System.err.flush();
    String log = captured.toString(StandardCharsets.UTF_8);
    assertFalse(messages.isEmpty(), "the error paths ran");
    assertTrue(log.contains("WARN"), "logs were captured:\n" + log);
    for (String canary : canaries) {
      assertFalse(log.contains(canary), canary + " leaked into the log:\n" + log);
      for (String m : messages) {
        assertFalse(m.contains(canary), canary + " leaked into: " + m);
      }
    }
  }

  @Test
  void openBaoErrorPathsLeakNothing(OpenBao bao) throws Exception {
    bao.writePolicy(Fixtures.POLICY, "path \"secret/data/app/*\" { capabilities = [\"read\"] }");
    bao.put("other/db", Map.of("password", SECRET));
    OpenBao.AppRole role = bao.appRole("app", Map.of("token_policies", Fixtures.POLICY));
    OpenBaoClient client = Fixtures.client(bao);

    // 1. a wrong secret id: login fails, the manager logs and backs off
    Path roleId = Files.writeString(dir.resolve("role-id"), role.roleId());
    Path badSecretId = Files.writeString(dir.resolve("secret-id"), SECRET_ID);
    try (TokenManager m =
        TokenManager.builder(
                client, AuthMethod.create(Fixtures.appRole(roleId, badSecretId, false, false)))
            .build()) {
      m.start();
      record(assertThrows(RuntimeException.class, m::currentToken));
    }

    // 2. a token OpenBao does not know
    record(
        assertThrows(
            RuntimeException.class,
            () -> new TokenAuth(SecretValue.of(TOKEN), null).login(client)));

    // 3. a 403 on a secret the policy denies, then the lifecycle's check of that 403
    Path goodSecretId = Files.writeString(dir.resolve("secret-id-2"), role.secretId());
    try (TokenManager m =
        TokenManager.builder(
                client, AuthMethod.create(Fixtures.appRole(roleId, goodSecretId, false, false)))
            .forbiddenCheckInterval(Duration.ZERO) // ask again right after the revocation
            .build()) {
      m.start();
      SecretValue t = m.currentToken();
      canaries.add(t.reveal());
      record(assertThrows(RuntimeException.class, () -> client.get("secret/data/other/db", t)));
      assertEquals(ForbiddenVerdict.DENIED, m.onForbidden(t));
      // 4. the token revoked underneath: renewal fails with 403 and the lifecycle logs in again
      bao.api("POST", "auth/token/revoke", Map.of("token", t.reveal()));
      record(assertThrows(RuntimeException.class, () -> client.get("secret/data/app/x", t)));
      assertEquals(ForbiddenVerdict.RETRY, m.onForbidden(t));
      canaries.add(m.currentToken().reveal());
    }

    // 5. a wrapping token from the wrong endpoint, wrapping a canary secret id
    String wrapping = bao.wrap(Map.of("secret_id", SECRET_ID), "60s");
    canaries.add(wrapping);
    Path wrapped = Files.writeString(dir.resolve("wrapped"), wrapping);
    record(
        assertThrows(
            RuntimeException.class,
            () -> AuthMethod.create(Fixtures.appRole(roleId, wrapped, true, false)).login(client)));
    try (TokenManager m =
        TokenManager.builder(
                client, AuthMethod.create(Fixtures.appRole(roleId, wrapped, true, false)))
            .build()) {
      m.start();
      record(assertThrows(RuntimeException.class, m::currentToken));
    }
    assertNoCanary();
  }

  @Test
  void malformedAndUnexpectedBodiesLeakNothing() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start(InetAddress.getLoopbackAddress(), 0);
      OpenBaoClient client =
          OpenBaoClient.builder(TestSettings.openbao(server.url("/").uri()))
              .maxAttempts(2)
              .sleeper(d -> {})
              .build();
      SecretValue token = SecretValue.of(TOKEN);
      String json = "application/json";
      // truncated JSON holding a secret
      server.enqueue(
          new MockResponse()
              .setHeader("Content-Type", json)
              .setBody("{\"data\":{\"data\":{\"password\":\"" + SECRET + "\""));
      record(assertThrows(RuntimeException.class, () -> client.get("secret/data/x", token)));
      // an error answer that also carries data
      server.enqueue(
          new MockResponse()
              .setResponseCode(400)
              .setBody(
                  "{\"errors\":[\"bad request\"],\"data\":{\"password\":\"" + SECRET + "\"}}"));
      record(assertThrows(RuntimeException.class, () -> client.get("secret/data/x", token)));
      // a 500 whose body is not JSON, twice (retried, then thrown)
      for (int i = 0; i < 2; i++) {
        server.enqueue(new MockResponse().setResponseCode(500).setBody("panic: " + SECRET));
      }
      record(assertThrows(RuntimeException.class, () -> client.get("secret/data/x", token)));
      // the lifecycle: login succeeds, then renewal answers are malformed
      server.enqueue(lookup());
      server.enqueue(lookup());
      for (int i = 0; i < 3; i++) {
        server.enqueue(
            new MockResponse()
                .setHeader("Content-Type", json)
                .setBody("{\"auth\":{\"client_token\":\"" + SECRET + "\",\"lease"));
      }
      ManualScheduler scheduler = new ManualScheduler();
      try (TokenManager m =
          TokenManager.builder(client, new TokenAuth(token, null))
              .scheduler(scheduler)
              .clock(scheduler.clock)
              .build()) {
        m.start();
        scheduler.runNext(); // login
        scheduler.runNext(); // renewal: malformed
        scheduler.runNext(); // renewal: malformed
        assertEquals(token, m.currentToken());
      }
      messages.add(token.toString());
      messages.add(
          new io.baoinjector.sidecar.auth.Token(
                  token, "acc", Duration.ofSeconds(5), true, List.of())
              .toString());
    }
    assertNoCanary();
  }

  private static MockResponse lookup() {
    return new MockResponse()
        .setHeader("Content-Type", "application/json")
        .setBody("{\"data\":{\"accessor\":\"acc\",\"ttl\":3600,\"renewable\":true}}");
  }

  /** Writes to the capture and still shows the output. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws java.io.IOException {
      a.flush();
      b.flush();
    }
  }
}
