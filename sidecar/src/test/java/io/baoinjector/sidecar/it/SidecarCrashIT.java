package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.Await;
import io.baoinjector.testkit.FaultRig;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SecretReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * (f) The sidecar is SIGKILLed under read load (four readers, ~200 reads/s) and started again on
 * the same config: the stale socket file must not stop it, it must log in with the kept secret-id,
 * and once ready every read succeeds with OpenBao's value. Reads while no sidecar runs cannot
 * succeed; they are counted, not failed: the figure is the downtime.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(600)
class SidecarCrashIT {
  static final Duration FRESH = Duration.ofSeconds(15);

  @Test
  void sigkilledAndRestartedUnderLoad(OpenBao bao, @TempDir Path work) throws Exception {
    int crashes = FaultRig.SOAK ? 10 : 2;
    try (FaultRig rig = FaultRig.create(work, bao, List.of(bao.address()), "1h", "24h")) {
      rig.write(bao);
      rig.startSidecar();
      List<SecretReader> load = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        load.add(rig.addReader(Duration.ofMillis(20)));
      }
      load.add(rig.reader());
      rig.awaitFresh(1);
      double maxDown = 0;
      long downReads = 0;
      for (int c = 0; c < crashes; c++) {
        FaultRig.pace(2000); // under load for a while
        long failedBefore = failed(load);
        long t0 = System.nanoTime();
        rig.killSidecar();
        assertTrue(Files.exists(rig.socket()), "SIGKILL leaves the socket file behind");
        rig.restartSidecar().awaitReady(rig.socket());
        double down = (System.nanoTime() - t0) / 1e9;
        // a reader's next read starts only when the one in flight at the restart has finished
        long[] readsAtReady = load.stream().mapToLong(SecretReader::reads).toArray();
        Await.until(
            Duration.ofSeconds(30),
            () -> "a reader made no read after the restart\n" + rig.why(),
            () -> {
              for (int i = 0; i < load.size(); i++) {
                if (load.get(i).reads() <= readsAtReady[i]) {
                  return false;
                }
              }
              return true;
            });
        downReads += failed(load) - failedBefore;
        long failedAfterReady = failed(load);
        int v = rig.write(bao);
        double fresh = rig.awaitFresh(v);
        FaultRig.pace(2000);
        assertEquals(
            failedAfterReady, failed(load), "a read failed after the restart\n" + rig.why());
        maxDown = Math.max(maxDown, down);
        assertTrue(fresh < FRESH.toSeconds(), "fresh after " + fresh + " s");
      }
      long wrong = load.stream().mapToLong(SecretReader::wrong).sum();
      long reads = load.stream().mapToLong(SecretReader::reads).sum();
      rig.figures("sidecar-sigkill")
          .put("crashes", crashes)
          .put("load_reads", reads)
          .put("reads_during_downtime", downReads)
          .put("max_down_s", maxDown)
          .put("load_wrong_reads", wrong)
          .emit();
      rig.assertNoValueInLogs();
      assertEquals(0, wrong, "a read served a value that is not OpenBao's\n" + rig.why());
    }
  }

  static long failed(List<SecretReader> readers) {
    return readers.stream().mapToLong(SecretReader::failed).sum();
  }
}
