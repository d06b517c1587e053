package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.baoinjector.sidecar.backend.Backends;
import io.baoinjector.sidecar.config.ConfigLoader;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code file:} store has no server to be down: one bad path (a link loop another user made) is
 * that name's problem, and the other files are still read in the same round.
 */
@Timeout(60)
class FileStoreOneBadPathTest {
  @Test
  void aLinkLoopDoesNotStopTheOtherFiles(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.env");
    Path good = Files.writeString(dir.resolve("good.env"), "B=one\n");
    Files.writeString(bad, "A=a\n");
    SidecarConfig cfg =
        ConfigLoader.load(
            "openbao: {address: 'http://127.0.0.1:9'}\n"
                + "secrets:\n"
                + "  A: file:"
                + bad
                + "#A\n"
                + "  B: file:"
                + good
                + "#B\n",
            dir.resolve("sidecar.yaml"),
            Map.of());
    SnapshotHub hub = new SnapshotHub();
    ManualClock clock = new ManualClock();
    Refresher r = Fixtures.refresher(cfg, hub, clock, Backends.open(cfg));
    r.loadAll();
    assertEquals("one", hub.current().values().get("B").value().reveal());

    Files.delete(bad);
    Path loop = dir.resolve("loop");
    Files.createSymbolicLink(bad, loop);
    Files.createSymbolicLink(loop, bad);
    Files.writeString(good, "B=two-longer\n");
    clock.advance(Duration.ofSeconds(30));
    r.roundAndNextDelay();
    assertEquals("two-longer", hub.current().values().get("B").value().reveal());
    assertFalse(hub.backends().get("file").stale(), "one bad path is not the store down");
  }
}
