package io.baoinjector.sidecar.output.socket;

import static io.baoinjector.sidecar.output.socket.Snapshots.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Until every name has a value, {@code /v1/env} is "not available": 503 with health's body, never a
 * 200 with missing values that a client would start on.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SocketStartingTest extends SocketServerFixture {
  static final String CANARY = "canary-st4rt-S3CRET";

  SocketStartingTest() {
    super("inst-s");
  }

  @BeforeEach
  void start() throws Exception {
    // files never rendered: env's readiness is the snapshot's alone
    server(0600, List.of(), null, () -> false, SocketServer.Limits.DEFAULTS).start();
  }

  void publishPartial() {
    hub.publish(entries("A", CANARY), Map.of(), Set.of("B"), false, false);
  }

  void publishReady() {
    hub.publish(entries("A", CANARY, "B", "b"), Map.of(), Set.of(), false, true);
  }

  @Test
  void envIs503WithHealthsBodyBeforeTheFirstLoad() throws Exception {
    Uds.Resp r = Uds.get(sock(), "/v1/env");
    assertEquals(503, r.status());
    assertEquals(
        "{\"status\":\"starting\",\"instance\":\"inst-s\",\"revision\":0,\"stale\":false,"
            + "\"unresolved\":[],\"leases\":[]}",
        r.body());
    assertTrue(r.head().contains("Content-Type: application/json"), r.head());
  }

  @Test
  void envIs503WhileANameIsUnresolvedAndLeaksNoValue() throws Exception {
    publishPartial();
    Uds.Resp r = Uds.get(sock(), "/v1/env");
    assertEquals(503, r.status());
    assertEquals(
        "{\"status\":\"starting\",\"instance\":\"inst-s\",\"revision\":1,\"stale\":false,"
            + "\"unresolved\":[\"B\"],\"leases\":[]}",
        r.body());
    assertFalse(r.body().contains(CANARY));
    // a long-poll with no time to wait answers the same at once
    assertEquals(503, Uds.get(sock(), "/v1/env?after=1&wait=0s").status());
  }

  @Test
  void secretsWhileStarting() throws Exception {
    publishPartial();
    assertEquals(200, Uds.get(sock(), "/v1/secrets/A").status(), "A has its value");
    Uds.Resp b = Uds.get(sock(), "/v1/secrets/B");
    assertEquals(503, b.status(), "B is still resolving");
    assertTrue(b.body().startsWith("{\"status\":\"starting\""), b.body());
    assertEquals(503, Uds.get(sock(), "/v1/secrets/NOPE").status(), "cannot tell yet");
    publishReady();
    assertEquals(404, Uds.get(sock(), "/v1/secrets/NOPE").status(), "ready: not mapped");
    Uds.Resp env = Uds.get(sock(), "/v1/env");
    assertEquals(200, env.status(), "ready, though files are not rendered");
    assertTrue(env.body().contains(CANARY), "values once ready");
  }

  @Test
  void aLongPollWhileStartingWaitsForReady() throws Exception {
    publishPartial();
    // after=7 is not the current revision: when ready that answers at once, while starting it waits
    CompletableFuture<Uds.Resp> f = getAsync("/v1/env?after=7&instance=inst-s&wait=60s");
    awaitParked(1);
    assertFalse(f.isDone());
    hub.publish(entries("A", CANARY), Map.of(), Set.of("B"), true, false); // still not ready
    awaitParked(1);
    publishReady();
    Uds.Resp r = f.get(60, TimeUnit.SECONDS);
    assertEquals(200, r.status(), r.body());
    assertTrue(r.body().contains("\"B\":\"b\""), "values arrive with readiness");
  }

  @Test
  void aLongPollWhileStartingEndsAtItsDeadlineWith503() throws Exception {
    publishPartial();
    Uds.Resp r = getAsync("/v1/env?after=1&wait=300ms").get(60, TimeUnit.SECONDS);
    assertEquals(503, r.status());
    assertTrue(r.body().startsWith("{\"status\":\"starting\""), r.body());
  }
}
