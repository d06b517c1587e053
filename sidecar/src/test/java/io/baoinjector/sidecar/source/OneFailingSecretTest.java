package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendSecret;
import io.baoinjector.sidecar.backend.Backends;
import io.baoinjector.sidecar.config.ConfigLoader;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.snapshot.BackendStatus;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One secret of a store fails as if the store were down while another of it answers: the store
 * stays down for as long as that lasts, with one log line, instead of coming back and going down
 * again in every full round (which also restarted its backoff each time).
 */
@Timeout(60)
class OneFailingSecretTest {
  private final PrintStream originalErr = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  /** Folder {@code /bad} is unavailable; every other folder answers the same secret. */
  private static final class HalfDownStore implements Backend {
    @Override
    public BackendSecret read(Reference ref) {
      if (ref.path().equals("/bad")) {
        throw new BackendException(BackendException.Kind.UNAVAILABLE, ref + ": 503");
      }
      return BackendSecret.ofText("{\"K\":\"v\"}", "1");
    }
  }

  @AfterEach
  void restoreStderr() {
    System.setErr(originalErr);
  }

  @Test
  void theStoreStaysDownWithOneLogLine(@TempDir Path dir) throws Exception {
    Path id = Files.writeString(dir.resolve("client-id"), "id\n");
    String yaml =
        "openbao: {address: 'http://127.0.0.1:9'}\n"
            + "backends:\n"
            + "  store: {type: infisical, address: 'http://127.0.0.1:9', project: p,"
            + " environment: prod, client-id-file: "
            + id
            + ", client-secret-file: "
            + id
            + "}\n"
            + "secrets:\n"
            + "  GOOD: store:/good#K\n" // read first in every full round
            + "  BAD: store:/bad#K\n"
            + "refresh: {interval: 5s}\n";
    SidecarConfig cfg = ConfigLoader.load(yaml, dir.resolve("sidecar.yaml"), Map.of());
    ManualClock clock = new ManualClock();
    SnapshotHub hub = new SnapshotHub();
    Refresher r =
        new Refresher(
            cfg,
            OpenBaoClient.builder(cfg.openbao()).maxAttempts(1).build(),
            new Fixtures.FixedToken("t"),
            hub,
            clock,
            RefreshObserver.NOOP,
            Backends.open(
                cfg,
                t ->
                    t.equals("infisical")
                        ? BackendRoundsTest.factoryOf(new HalfDownStore())
                        : null));
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));

    r.loadAll();
    for (int i = 0; i < 6; i++) {
      clock.advance(Duration.ofSeconds(6)); // past the interval: every round is a full one
      r.roundAndNextDelay();
      assertEquals(
          Map.of("store", new BackendStatus(true, List.of("BAD"))), hub.backends(), "round " + i);
    }
    System.setErr(originalErr);
    String log = captured.toString(StandardCharsets.UTF_8);
    assertEquals(1, log.lines().filter(l -> l.contains("backend store unreachable")).count(), log);
    assertTrue(!log.contains("reachable again"), log);
  }
}
