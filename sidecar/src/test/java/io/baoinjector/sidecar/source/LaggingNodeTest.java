package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.baoinjector.sidecar.backend.Backends;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node that has not caught up (an OpenBao standby serving reads right after a failover) answers
 * an older KV v2 version than the sidecar already serves: the value must not move backwards, and
 * only an older version that persists is believed. MockWebServer, because a single real server
 * never answers an older version (the Raft fault scenario found this on a real cluster, but not on
 * demand).
 */
@Timeout(60)
class LaggingNodeTest {
  private final MockWebServer server = new MockWebServer();
  private volatile int current = 3;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String path = r.getPath() == null ? "" : r.getPath();
            if (path.startsWith("/v1/sys/internal/ui/mounts/")) {
              return json(
                  "{\"data\":{\"path\":\"secret/\",\"type\":\"kv\",\"options\":{\"version\":\"2\"}}}");
            }
            int v = current;
            if (path.startsWith("/v1/secret/metadata/")) {
              return json("{\"data\":{\"current_version\":" + v + ",\"versions\":{}}}");
            }
            return json(
                "{\"data\":{\"data\":{\"password\":\"pw-"
                    + v
                    + "\"},\"metadata\":{\"version\":"
                    + v
                    + "}}}");
          }
        });
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  private static MockResponse json(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  private final SnapshotHub hub = new SnapshotHub();

  private final ManualClock clock = new ManualClock();

  private Refresher refresher() {
    SidecarConfig cfg =
        Fixtures.config(
            Fixtures.settings(server.url("/").uri()),
            Map.of("DB_PASSWORD", "secret/app/db#password"),
            List.of(),
            Map.of(),
            Duration.ofSeconds(1));
    return Fixtures.refresher(cfg, hub, clock, Backends.none());
  }

  private String served(Refresher r) {
    r.loadAll();
    return hub.current().values().get("DB_PASSWORD").value().reveal();
  }

  @Test
  void anOlderVersionFromANodeNotYetCaughtUpIsNotServed() {
    Refresher r = refresher();
    assertEquals("pw-3", served(r));
    current = 2; // a standby that has not applied version 3 yet
    assertEquals("pw-3", served(r), "never backwards");
    current = 4; // caught up, and a newer write arrived meanwhile
    assertEquals("pw-4", served(r));
  }

  @Test
  void anOlderVersionThatPersistsIsBelievedAfterAFewRoundsAndTheWindow() {
    Refresher r = refresher();
    assertEquals("pw-3", served(r));
    current = 2; // a server restored from an older snapshot
    for (int i = 1; i < KvV2Source.LAGGING_ROUNDS; i++) {
      assertEquals("pw-3", served(r), "round " + i);
    }
    clock.advance(KvV2Source.LAGGING_WINDOW);
    assertEquals("pw-2", served(r), "believed after " + KvV2Source.LAGGING_ROUNDS + " rounds");
  }

  @Test
  void aNodeBehindForManyFastRoundsIsStillNotBelievedWithinTheWindow() {
    // a restarted Raft node catching up for longer than three 1 s rounds (seen in RaftFailoverIT)
    Refresher r = refresher();
    assertEquals("pw-3", served(r));
    current = 2;
    for (int i = 1; i <= 10; i++) {
      clock.advance(Duration.ofSeconds(1));
      assertEquals("pw-3", served(r), "round " + i + ", within the window");
    }
    clock.advance(KvV2Source.LAGGING_WINDOW);
    assertEquals("pw-2", served(r), "believed once it persisted past the window");
  }
}
