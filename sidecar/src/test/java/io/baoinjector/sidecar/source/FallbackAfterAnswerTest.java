package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.Backends;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A name served from the fallback whose store then answers without it (no such key, the secret
 * gone) keeps the fallback's value as its last one: the snapshot must still say stale, and the
 * application that started on it must not be sent back to 503.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(120)
class FallbackAfterAnswerTest {
  private final BackendRoundsTest.ScriptedStore store = new BackendRoundsTest.ScriptedStore();
  private final ManualClock clock = new ManualClock();
  private final SnapshotHub hub = new SnapshotHub();

  private Refresher refresher(OpenBao bao, Path dir) throws Exception {
    Path fb = Files.writeString(dir.resolve("fallback.env"), "API_KEY=from-fallback\n");
    SidecarConfig cfg = BackendRoundsTest.config(bao.address(), dir, "fallback: file:" + fb + "\n");
    OpenBaoClient client = OpenBaoClient.builder(cfg.openbao()).maxAttempts(1).build();
    return new Refresher(
        cfg,
        client,
        new Fixtures.FixedToken(bao.rootToken()),
        hub,
        clock,
        (ok, changed, took) -> {},
        Backends.open(cfg, t -> BackendRoundsTest.factoryOf(store)));
  }

  @Test
  void aFallbackValueKeptAfterTheStoreAnsweredIsStillStaleAndReady(OpenBao bao, @TempDir Path dir)
      throws Exception {
    bao.put("app/db", Map.of("password", "bao-1"));
    store.failing = BackendException.Kind.UNAVAILABLE;
    Refresher r = refresher(bao, dir);
    Snapshot s = r.loadAll();
    assertEquals("from-fallback", s.values().get("API_KEY").value().reveal());
    assertTrue(s.stale() && s.ready(), s.toString());

    // the store comes back, but its folder has no API_KEY
    store.failing = null;
    store.put("/app", "{\"OTHER\":\"x\"}");
    clock.advance(Duration.ofMinutes(10));
    r.roundAndNextDelay();
    s = hub.current();
    Snapshot.Entry e = s.values().get("API_KEY");
    assertTrue(e.source().startsWith("fallback:"), e.source());
    assertTrue(s.stale(), "still serving the fallback's value: " + s);
    assertTrue(s.ready(), "the application started on it; no 503 now: " + s);
  }
}
