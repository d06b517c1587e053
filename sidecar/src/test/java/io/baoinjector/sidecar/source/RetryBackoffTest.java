package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.backend.Backends;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A mount lookup that fails in a way no real server answers (400 on {@code
 * sys/internal/ui/mounts/...}) is retried on the backoff, not in a loop. MockWebServer, because a
 * real OpenBao does not answer that lookup with 400.
 */
@Timeout(60)
class RetryBackoffTest {
  private final MockWebServer server = new MockWebServer();
  private final AtomicInteger lookups = new AtomicInteger();
  private final AtomicInteger reads = new AtomicInteger();
  private volatile boolean mountAnswers;

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest r) {
            String path = r.getPath() == null ? "" : r.getPath();
            if (path.startsWith("/v1/sys/internal/ui/mounts/")) {
              lookups.incrementAndGet();
              if (mountAnswers) {
                return new MockResponse()
                    .setBody(
                        "{\"data\":{\"path\":\"secret/\",\"type\":\"kv\","
                            + "\"options\":{\"version\":\"2\"}}}");
              }
            } else {
              reads.incrementAndGet();
            }
            return new MockResponse().setResponseCode(400).setBody("{\"errors\":[\"bad\"]}");
          }
        });
    server.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  private Refresher refresher(Clock clock) {
    SidecarConfig cfg =
        Fixtures.config(
            Fixtures.settings(server.url("/").uri()),
            Map.of("DB_PASSWORD", "secret/app/db#password"),
            List.of(),
            Map.of(),
            Duration.ofSeconds(30));
    return Fixtures.refresher(cfg, new SnapshotHub(), clock, Backends.none());
  }

  @Test
  void aFailedMountLookupWaitsItsBackoffBeforeTheNextAttempt() {
    ManualClock clock = new ManualClock();
    Refresher r = refresher(clock);
    Duration first = r.roundAndNextDelay();
    assertEquals(1, lookups.get());
    assertTrue(first.compareTo(Duration.ofMillis(500)) >= 0, "first retry waits; got " + first);

    Duration again = r.roundAndNextDelay(); // a round before the retry time: the path is not due
    assertEquals(1, lookups.get(), "not asked again before its retry time");
    assertTrue(again.compareTo(Duration.ZERO) > 0, "still waiting; got " + again);

    clock.advance(first);
    Duration second = r.roundAndNextDelay();
    assertEquals(2, lookups.get());
    assertTrue(second.compareTo(Duration.ofSeconds(1)) >= 0, "the wait grows; got " + second);
  }

  @Test
  void aPathThatKeepsFailingHasItsMountLookedUpAgain() {
    mountAnswers = true; // KV v2 on secret/, but every read of it answers 400
    ManualClock clock = new ManualClock();
    Refresher r = refresher(clock);
    for (int i = 1; i <= SourceSlot.RESOLVE_AGAIN_AFTER; i++) {
      clock.advance(r.roundAndNextDelay());
      assertEquals(i, reads.get(), "one read per attempt");
      assertEquals(1, lookups.get(), "the mount is cached while the failures are few");
    }
    r.roundAndNextDelay();
    assertEquals(2, lookups.get(), "after repeated failures the mount is looked up again");
  }

  @Test
  void theBackgroundLoopDoesNotSpinOnAFailingLookup() throws Exception {
    try (Refresher r = refresher(Clock.systemUTC())) {
      r.start();
      // A measuring window, not a wait for an event: backoff (0.5-1 s, 1-2 s, ...) allows at most
      // 4 lookups in 3 s; the loop without it made about 60.
      Thread.sleep(3000);
    }
    int n = lookups.get();
    assertTrue(n >= 1 && n <= 5, "lookups in 3 s: " + n);
  }
}
