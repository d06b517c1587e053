package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.FaultRig;
import io.baoinjector.testkit.OpenBao;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenBao itself goes away: killed for longer than twice the token TTL, or sealed. The server is a
 * durable single node (data and tokens survive, seal and unseal are real), so what comes back is
 * what a real deployment sees. Reads never fail meanwhile (last values served); a value written
 * after the recovery is served within 15 s.
 */
@Timeout(600)
class OutageFaultsIT {

  /** (c) SIGKILL for more than 2 x the 5 s token TTL, then restart on the same data. */
  @Test
  void openBaoKilledLongerThanTwiceTheTokenTtl(@TempDir Path work) throws Exception {
    Duration down = FaultRig.SOAK ? Duration.ofSeconds(120) : Duration.ofSeconds(12);
    try (OpenBao bao = OpenBao.startDurable(work.resolve("bao"));
        FaultRig rig = FaultRig.create(work, bao, List.of(bao.address()), "5s", "1h")) {
      rig.write(bao);
      rig.startSidecar();
      rig.awaitFresh(1);
      double logins0 = rig.logins();
      bao.kill();
      FaultRig.pace(down.toMillis());
      long restarted = System.nanoTime();
      bao.restart();
      double restartS = (System.nanoTime() - restarted) / 1e9;
      int v = rig.write(bao);
      double fresh = rig.awaitFresh(v);
      double logins = rig.logins() - logins0;
      rig.figures("openbao-killed")
          .put("down_s", down.toSeconds())
          .put("token_ttl_s", 5)
          .put("openbao_restart_s", restartS)
          .put("fresh_after_restart_s", fresh)
          .put("logins_after_restart", (long) logins)
          .emit();
      rig.assertNoValueInLogs();
      assertEquals(0, rig.reader().failed(), rig.why());
      assertTrue(logins >= 1, "the token expired while OpenBao was down: a re-login is due");
    }
  }

  /** (d) Sealed (10 s; 60 s in the soak), then unsealed with its key. */
  @Test
  void sealedThenUnsealed(@TempDir Path work) throws Exception {
    Duration sealed = FaultRig.SOAK ? Duration.ofSeconds(60) : Duration.ofSeconds(10);
    try (OpenBao bao = OpenBao.startDurable(work.resolve("bao"));
        FaultRig rig = FaultRig.create(work, bao, List.of(bao.address()), "5s", "1h")) {
      rig.write(bao);
      rig.startSidecar();
      rig.awaitFresh(1);
      double cpu0 = rig.cpuSeconds();
      bao.seal();
      FaultRig.pace(sealed.toMillis());
      double cpuShare = (rig.cpuSeconds() - cpu0) / sealed.toSeconds();
      bao.unseal();
      int v = rig.write(bao);
      double fresh = rig.awaitFresh(v);
      rig.figures("sealed")
          .put("sealed_s", sealed.toSeconds())
          .put("fresh_after_unseal_s", fresh)
          .put("cpu_pct_sealed", cpuShare * 100)
          .put("logins", (long) rig.logins())
          .emit();
      rig.assertNoValueInLogs();
      assertEquals(0, rig.reader().failed(), rig.why());
    }
  }
}
