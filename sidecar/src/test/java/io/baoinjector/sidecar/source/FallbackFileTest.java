package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.backend.Backends;
import io.baoinjector.sidecar.config.ConfigLoader;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A careless operator's fallback: a path with a typo, a file that is no dotenv. Either is said once
 * (the outage it was meant for is when nobody looks), without a value.
 */
@Timeout(60)
class FallbackFileTest {
  static final String CANARY = "canary-fallback-Hn42";

  @RegisterExtension final StderrCapture stderr = new StderrCapture();

  private Snapshot boot(Path dir, Path fallback) throws Exception {
    // nobody listens on port 9 of loopback: OpenBao never answers
    SidecarConfig cfg =
        ConfigLoader.load(
            "openbao: {address: 'http://127.0.0.1:9'}\n"
                + "secrets: {DB_PASSWORD: 'secret/app/db#password'}\n"
                + "fallback: file:"
                + fallback
                + "\n",
            dir.resolve("sidecar.yaml"),
            Map.of());
    return Fixtures.refresher(cfg, new SnapshotHub(), new ManualClock(), Backends.open(cfg))
        .loadAll();
  }

  @Test
  void aMissingFallbackFileIsSaid(@TempDir Path dir) throws Exception {
    Path typo = dir.resolve("falback.env");
    Snapshot s = boot(dir, typo);
    assertFalse(s.ready());
    String log = stderr.log();
    assertTrue(log.contains("fallback:file:" + typo + ": no such file\n"), log);
  }

  @Test
  void aFallbackFileWithoutNamesIsSaid(@TempDir Path dir) throws Exception {
    Path crlf = Files.writeString(dir.resolve("fallback.env"), "DB_PASSWORD=" + CANARY + "\r\n");
    Snapshot s = boot(dir, crlf);
    assertFalse(s.ready());
    String log = stderr.log();
    assertTrue(log.contains("fallback:file:" + crlf + ": holds no NAME=value"), log);
    assertFalse(log.contains(CANARY), log);
  }
}
