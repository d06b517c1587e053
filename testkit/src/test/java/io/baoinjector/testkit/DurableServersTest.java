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
      assertEquals(
          "one",
          bao.api("GET", "secret/data/app/db", null)
              .path("data")
              .path("data")
              .path("password")
              .asText());
      assertEquals(
          200,
          bao.raw(token, "GET", "auth/token/lookup-self", null).statusCode(),
          "a token issued before the kill is still valid");
      bao.seal();
      assertEquals(503, bao.raw(bao.rootToken(), "GET", "secret/data/app/db", null).statusCode());
      bao.unseal();
      assertEquals(
          "one",
          bao.api("GET", "secret/data/app/db", null)
              .path("data")
              .path("data")
              .path("password")
              .asText());
    }
  }

  @Test
  void raftClusterFailsOverOnStepDownAndSigkillAndTheNodeRejoins(@TempDir Path dir) {
    try (RaftCluster c = RaftCluster.start(dir, Duration.ofSeconds(90))) {
      int first = c.leader();
      c.leaderClient().put("app/db", Map.of("password", "one"));

      c.stepDown();
      int second = awaitNewLeader(c, first);
      assertNotEquals(first, second);

      c.kill(second);
      int third = awaitNewLeader(c, second);
      assertNotEquals(second, third);
      assertEquals(
          "one",
          c.client(third)
              .api("GET", "secret/data/app/db", null)
              .path("data")
              .path("data")
              .path("password")
              .asText());

      c.restart(second);
      c.waitHealthy(Duration.ofSeconds(60));
    }
  }

  static int awaitNewLeader(RaftCluster c, int old) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      int l = c.awaitLeader(Duration.ofSeconds(60));
      if (l != old) {
        return l;
      }
      OpenBao.sleep(100);
    }
    throw new AssertionError("leadership never moved from node " + old + "\n" + c.logs());
  }
}
