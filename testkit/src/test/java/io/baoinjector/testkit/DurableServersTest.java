package io.baoinjector.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(180)
class DurableServersTest {

  @Test
  void durableServerKeepsDataAndTokensAcrossSigkillAndSealing(@TempDir Path dir) {
    try (OpenBao bao = OpenBao.startDurable(dir)) {
      bao.put("app/db", Map.of("password", "one"));
      String token = bao.createToken(Map.of("ttl", "1h"));
      int port = bao.port();
      bao.kill();
      assertFalse(bao.isRunning());
      bao.restart();
      assertEquals(port, bao.port());
      assertEquals("one", password(bao));
      assertEquals(
          200,
          bao.raw(token, "GET", "auth/token/lookup-self", null).statusCode(),
          "a token issued before the kill is still valid");
      bao.seal();
      assertEquals(503, bao.raw(bao.rootToken(), "GET", "secret/data/app/db", null).statusCode());
      bao.unseal();
      assertEquals("one", password(bao));
    }
  }

  @Test
  void raftClusterFailsOverOnStepDownAndSigkillAndTheNodeRejoins(@TempDir Path dir) {
    try (RaftCluster c = RaftCluster.start(dir, Duration.ofSeconds(90))) {
      int first = c.leader();
      c.leaderClient().put("app/db", Map.of("password", "one"));

      c.stepDown();
      int second = c.awaitNewLeader(first);
      assertNotEquals(first, second);

      c.kill(second);
      int third = c.awaitNewLeader(second);
      assertNotEquals(second, third);
      assertEquals("one", password(c.client(third)));

      c.restart(second);
      c.waitHealthy(Duration.ofSeconds(60));
    }
  }

  private static String password(OpenBao bao) {
    return bao.api("GET", "secret/data/app/db", null)
        .path("data")
        .path("data")
        .path("password")
        .asText();
  }
}
