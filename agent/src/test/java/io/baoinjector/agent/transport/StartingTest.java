package io.baoinjector.agent.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.baoinjector.shared.wire.Json;
import org.junit.jupiter.api.Test;

class StartingTest {
  private static String check(String json) throws Exception {
    Starting s = Starting.check(Json.parseObject(json));
    return s == null ? null : s.getMessage();
  }

  @Test
  void a503BodyNamesTheUnresolvedNamesOnly() {
    assertEquals(
        "still starting: 2 names unresolved (DB_PASSWORD, db.password)",
        Starting.fromBody(
                "{\"status\":\"starting\",\"instance\":\"i\",\"revision\":0,\"stale\":false,"
                    + "\"unresolved\":[\"DB_PASSWORD\",\"db.password\"]}")
            .getMessage());
    assertEquals(
        "still starting",
        Starting.fromBody("{\"status\":\"starting\",\"unresolved\":[]}").getMessage());
    assertNull(Starting.fromBody("<html>503 Service Unavailable</html>"), "not the sidecar's 503");
    assertNull(Starting.fromBody("{\"error\":\"shutting down\",\"status\":503}"));
  }

  @Test
  void namesThatCouldForgeLogLinesAreMaskedAndLongListsCut() {
    StringBuilder many =
        new StringBuilder(
            "{\"status\":\"starting\",\"unresolved\":[\"A\\nbao-injector agent: ok\"");
    for (int i = 0; i < 11; i++) {
      many.append(",\"N").append(i).append('"');
    }
    assertEquals(
        "still starting: 12 names unresolved (?, N0, N1, N2, N3, N4, N5, N6, N7, N8, ...)",
        Starting.fromBody(many + "]}").getMessage());
  }

  @Test
  void a200IsReadyUnlessItSaysOtherwiseOrIsTheEmptyRevisionZero() throws Exception {
    assertNull(check("{\"instance\":\"i\",\"revision\":1,\"values\":{},\"properties\":{}}"));
    assertNull(check("{\"instance\":\"i\",\"revision\":0,\"values\":{\"A\":\"canary\"}}"));
    assertNull(check("{\"instance\":\"i\",\"revision\":3,\"values\":{},\"status\":\"ready\"}"));
    assertEquals(
        "still starting: no values yet (revision 0)",
        check("{\"instance\":\"i\",\"revision\":0,\"values\":{},\"properties\":{}}"));
    assertEquals(
        "still starting",
        check("{\"instance\":\"i\",\"revision\":4,\"values\":{},\"status\":\"starting\"}"));
    assertEquals(
        "still starting: 1 name unresolved (B)",
        check(
            "{\"instance\":\"i\",\"revision\":4,\"values\":{\"A\":\"x\"},\"unresolved\":[\"B\"]}"));
  }
}
