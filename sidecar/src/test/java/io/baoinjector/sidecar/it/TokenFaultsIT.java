package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.FaultProxy;
import io.baoinjector.testkit.FaultRig;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault scenarios around the token: renewal over many TTLs, renewal through a failing network
 * (reset, stall, 503), and a token revoked out of band. Each emits one {@code FAULT-FIGURES} line;
 * see {@code docs/reliability.md}.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(900)
class TokenFaultsIT {

  /** (a) 5 s tokens, 20 s max TTL: renewals and re-logins for many TTLs, never a failed read. */
  @Test
  void renewalCadenceOverManyTtls(OpenBao bao, @TempDir Path work) throws Exception {
    Duration run = FaultRig.SOAK ? Duration.ofMinutes(10) : Duration.ofSeconds(30);
    try (FaultRig rig = FaultRig.create(work, bao, List.of(bao.address()), "5s", "20s")) {
      rig.write(bao);
      rig.startSidecar();
      long end = System.nanoTime() + run.toNanos();
      int last = 0;
      while (System.nanoTime() < end) {
        last = rig.write(bao);
        FaultRig.pace(2000);
      }
      double fresh = rig.awaitFresh(last);
      double logins = rig.logins();
      double renewals = rig.renewals();
      rig.figures("renewal-cadence")
          .put("token_ttl_s", 5)
          .put("max_ttl_s", 20)
          .put("logins", (long) logins)
          .put("renewals", (long) renewals)
          .put("last_fresh_s", fresh)
          .put("cpu_s", rig.cpuSeconds())
          .emit();
      rig.assertNoValueInLogs();
      assertEquals(0, rig.reader().failed(), rig.why());
      long ttls = run.toSeconds() / 5;
      assertTrue(renewals >= ttls / 2, "renewed " + renewals + " times in " + ttls + " TTLs");
      assertTrue(logins >= 2, "the 20 s max TTL forces a re-login: " + logins);
      assertTrue(logins <= run.toSeconds() / 10 + 2, "too many logins: " + logins);
    }
  }

  /**
   * (b) Bursts of reset, stall and 503 between sidecar and OpenBao: reads keep the last value,
   * attempts stay few (backoff), CPU stays low, and the value is fresh again after each burst.
   */
  @Test
  void renewalErrorsBackOffAndServeStale(OpenBao bao, @TempDir Path work) throws Exception {
    Duration burst = FaultRig.SOAK ? Duration.ofSeconds(60) : Duration.ofSeconds(8);
    try (FaultProxy proxy = FaultProxy.to(bao.port());
        FaultRig rig = FaultRig.create(work, bao, List.of(proxy.address()), "5s", "1h")) {
      rig.write(bao);
      rig.startSidecar();
      rig.awaitFresh(1);
      StringBuilder perBurst = new StringBuilder();
      double maxCpuShare = 0;
      long maxAttempts = 0;
      double maxFresh = 0;
      for (FaultProxy.Mode mode :
          List.of(FaultProxy.Mode.RESET, FaultProxy.Mode.STALL, FaultProxy.Mode.HTTP_503)) {
        long attempts0 = proxy.refused();
        double cpu0 = rig.cpuSeconds();
        long t0 = System.nanoTime();
        proxy.mode(mode);
        FaultRig.pace(burst.toMillis() / 2);
        long firstHalf = proxy.refused() - attempts0;
        FaultRig.pace(burst.toMillis() - burst.toMillis() / 2);
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpuShare = (rig.cpuSeconds() - cpu0) / wall;
        long attempts = proxy.refused() - attempts0;
        proxy.mode(FaultProxy.Mode.PASS);
        double fresh = rig.awaitFresh(rig.write(bao));
        perBurst.append(
            String.format(
                "%s:%d(%d+%d)/%.0fs:cpu%.0f%%:fresh%.1fs,",
                mode, attempts, firstHalf, attempts - firstHalf, wall, cpuShare * 100, fresh));
        maxCpuShare = Math.max(maxCpuShare, cpuShare);
        maxAttempts = Math.max(maxAttempts, attempts);
        maxFresh = Math.max(maxFresh, fresh);
      }
      rig.figures("renewal-errors")
          .put("token_ttl_s", 5)
          .put("burst_s", burst.toSeconds())
          .put("bursts", perBurst.substring(0, perBurst.length() - 1))
          .put("max_attempts_per_burst", maxAttempts)
          .put("max_cpu_pct", maxCpuShare * 100)
          .put("max_fresh_after_s", maxFresh)
          .put("logins", (long) rig.logins())
          .put("renewals", (long) rig.renewals())
          .put("renewals_failed", (long) rig.failedRenewals())
          .emit();
      rig.assertNoValueInLogs();
      assertEquals(0, rig.reader().failed(), rig.why());
      // a retry loop without backoff makes hundreds of attempts a second
      assertTrue(
          maxAttempts <= 3 * burst.toSeconds(),
          "attempts per burst " + perBurst + "\n" + rig.why());
      assertTrue(maxCpuShare < 0.5, "CPU during a burst " + perBurst);
    }
  }

  /** (g) The sidecar's token is revoked by an operator: it logs in again, reads never fail. */
  @Test
  void tokenRevokedOutOfBand(OpenBao bao, @TempDir Path work) throws Exception {
    try (FaultRig rig = FaultRig.create(work, bao, List.of(bao.address()), "1h", "24h")) {
      rig.write(bao);
      rig.startSidecar();
      rig.awaitFresh(1);
      double logins0 = rig.logins();
      bao.api("PUT", "sys/leases/revoke-prefix/auth/approle/login", null);
      int v = rig.write(bao);
      double fresh = rig.awaitFresh(v);
      FaultRig.pace(3000); // keep reading on the new token for a while
      double logins = rig.logins() - logins0;
      rig.figures("token-revoked")
          .put("fresh_after_revoke_s", fresh)
          .put("logins_after_revoke", (long) logins)
          .emit();
      rig.assertNoValueInLogs();
      assertEquals(0, rig.reader().failed(), rig.why());
      assertTrue(logins >= 1 && logins <= 2, "logins after the revocation: " + logins);
    }
  }
}
