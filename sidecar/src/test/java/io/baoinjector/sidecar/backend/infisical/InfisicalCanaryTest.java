package io.baoinjector.sidecar.backend.infisical;

import static io.baoinjector.sidecar.backend.infisical.InfisicalFixture.error;
import static io.baoinjector.sidecar.backend.infisical.InfisicalFixture.json;
import static io.baoinjector.sidecar.backend.infisical.InfisicalFixture.ref;
import static io.baoinjector.sidecar.backend.infisical.InfisicalFixture.reveal;
import static io.baoinjector.sidecar.backend.infisical.InfisicalFixture.s;
import static io.baoinjector.sidecar.backend.infisical.InfisicalFixture.secrets;
import static io.baoinjector.sidecar.backend.infisical.InfisicalFixture.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendSecret;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Runs login, renewal, re-login and every error path with canary credentials, token and values, and
 * checks that none reaches the log (stderr, where slf4j-simple writes), an exception message (cause
 * chain included) or a {@code toString}.
 */
@Timeout(60)
class InfisicalCanaryTest {
  private static final String CLIENT_SECRET = "CANARY-client-secret-5e1f";
  private static final String TOKEN = "CANARY-token-77ab";
  private static final String VALUE = "CANARY-value-3c9d";
  private static final List<String> CANARIES = List.of(CLIENT_SECRET, TOKEN, VALUE);

  static {
    // debug lines too, when this class is the first to create the backend's loggers
    System.setProperty("org.slf4j.simpleLogger.log.io.baoinjector.sidecar.backend", "debug");
  }

  @TempDir Path dir;
  private InfisicalFixture fx;
  private final List<String> seen = new ArrayList<>();
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void start() throws Exception {
    originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    fx = new InfisicalFixture(dir, "client-id-1", CLIENT_SECRET);
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
    System.setErr(originalErr);
  }

  private void failing(MockResponse... responses) {
    for (MockResponse r : responses) {
      fx.server.enqueue(r);
    }
    BackendException e =
        assertThrows(BackendException.class, () -> fx.backend.read(ref("inf:/app#DB")));
    for (Throwable t = e; t != null; t = t.getCause()) {
      seen.add(t.getMessage() + " / " + t);
    }
  }

  @Test
  void noCanaryInLogsMessagesOrToString() {
    fx.server.enqueue(token(TOKEN, 30, 3600));
    fx.server.enqueue(secrets(s("DB", VALUE, 1)));
    fx.server.enqueue(token(TOKEN, 30, 3600)); // renewal: the token travels in the body
    fx.server.enqueue(secrets(s("DB", VALUE, 2)));
    BackendSecret first = fx.backend.read(ref("inf:/app#DB"));
    fx.clock.advance(Duration.ofSeconds(25));
    BackendSecret renewed = fx.backend.read(ref("inf:/app#DB"));
    assertEquals(VALUE, reveal(renewed).get("DB"), "the canary value was read");
    seen.add(first.toString());
    seen.add(first.keys().toString());
    seen.add(renewed.toString());
    seen.add(fx.backend.toString());

    // a 401 on read: re-login, then Infisical refuses the retry with a body that echoes a value
    failing(
        error(401, "UnauthorizedError", "Token expired"),
        token(TOKEN, 30, 3600),
        json(403, "{\"message\":\"denied\",\"details\":[\"" + VALUE + "\",\"" + TOKEN + "\"]}"));
    // malformed and odd bodies that carry values
    failing(json(200, "{\"secrets\":[{\"secretKey\":\"DB\",\"secretValue\":\"" + VALUE));
    failing(json(200, "[\"" + VALUE + "\"]"));
    failing(new MockResponse().setResponseCode(500).setBody("<pre>" + VALUE + "</pre>"));
    failing(json(422, "{\"message\":[{\"received\":\"" + VALUE + "\"}]}"));
    failing(json(200, "{\"secrets\":[{\"secretKey\":\"DB\",\"secretValue\":\"" + VALUE + "\"}]}"));
    // renewal refused with an echo of the token, then a login refused with an echo of the secret
    fx.clock.advance(Duration.ofSeconds(25));
    failing(
        json(400, "{\"message\":\"bad\",\"details\":\"" + TOKEN + "\"}"),
        json(401, "{\"message\":\"Invalid credentials\",\"details\":\"" + CLIENT_SECRET + "\"}"));

    System.err.flush();
    String log = captured.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("logged in with universal auth"), "logs were captured:\n" + log);
    assertTrue(log.contains("renewal refused"), log);
    if (LoggerFactory.getLogger(UniversalAuth.class).isDebugEnabled()) {
      assertTrue(log.contains("token renewed"), log);
    }
    assertEquals(7, seen.size() - 4, "every failing path threw: " + seen);
    for (String canary : CANARIES) {
      assertFalse(log.contains(canary), canary + " leaked into the log:\n" + log);
      for (String m : seen) {
        assertFalse(m.contains(canary), canary + " leaked into: " + m);
      }
    }
  }
}
