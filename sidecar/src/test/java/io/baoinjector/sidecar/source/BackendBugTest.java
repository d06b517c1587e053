package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendSecret;
import io.baoinjector.sidecar.backend.Backends;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.snapshot.BackendStatus;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend that fails other than by its contract (a bug, a class its shaded jar lacks) is that
 * backend's outage: OpenBao's names still refresh, and the round is not lost.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(120)
class BackendBugTest {
  static final String CANARY = "canary-bug-Wq73";

  private final ManualClock clock = new ManualClock();
  private final SnapshotHub hub = new SnapshotHub();

  private Refresher refresher(OpenBao bao, Path dir, Supplier<Throwable> failure) throws Exception {
    SidecarConfig cfg = BackendRoundsTest.config(bao.address(), dir, "");
    Backend buggy =
        new Backend() {
          @Override
          public BackendSecret read(Reference ref) {
            Throwable t = failure.get();
            if (t instanceof Error e) {
              throw e;
            }
            throw (RuntimeException) t;
          }
        };
    return new Refresher(
        cfg,
        OpenBaoClient.builder(cfg.openbao()).maxAttempts(1).build(),
        new Fixtures.FixedToken(bao.rootToken()),
        hub,
        clock,
        (ok, changed, took) -> {},
        Backends.open(cfg, t -> BackendRoundsTest.factoryOf(buggy)));
  }

  private void openBaoStillRefreshes(OpenBao bao, Path dir, Supplier<Throwable> failure)
      throws Exception {
    bao.put("app/db", Map.of("password", "bao-1"));
    Refresher r = refresher(bao, dir, failure);
    r.loadAll();
    assertEquals("bao-1", hub.current().values().get("DB_PASSWORD").value().reveal());
    bao.put("app/db", Map.of("password", "bao-2"));
    clock.advance(Duration.ofMinutes(10));
    r.roundAndNextDelay();
    assertEquals(
        "bao-2",
        hub.current().values().get("DB_PASSWORD").value().reveal(),
        "OpenBao's rotation is published");
    assertEquals(Map.of("store", new BackendStatus(true, List.of("API_KEY"))), hub.backends());
    assertTrue(r.deniedPaths().isEmpty());
  }

  @Test
  void aRuntimeExceptionIsTheBackendsOutage(OpenBao bao, @TempDir Path dir) throws Exception {
    openBaoStillRefreshes(bao, dir, () -> new IllegalStateException("token " + CANARY));
  }

  @Test
  void aLinkageErrorIsTheBackendsOutage(OpenBao bao, @TempDir Path dir) throws Exception {
    openBaoStillRefreshes(bao, dir, () -> new NoClassDefFoundError("shaded/Missing"));
  }
}
