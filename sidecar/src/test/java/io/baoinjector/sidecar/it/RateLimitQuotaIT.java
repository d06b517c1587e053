package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.testkit.FaultFigures;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.UnixHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault scenario "rate-limit quota": OpenBao's own rate-limit quota (2 requests/s on the KV mount)
 * answers most of the sidecar's reads with 429. The app keeps reading the socket all along.
 *
 * <p>Pass: zero failed app reads once ready, a rotation still arrives, and the sidecar does not
 * hammer OpenBao (its request rate stays bounded: retries go through the backoff). The figures are
 * written to {@code target/fault-figures.txt}.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(180)
class RateLimitQuotaIT {
  private static final Pattern REQUESTS =
      Pattern.compile("bao_injector_openbao_requests_total\\{[^}]*} ([0-9.eE+]+)");

  @Test
  void aQuotaSlowsTheSidecarButNoAppReadFails(OpenBao bao, @TempDir Path work) throws Exception {
    for (int i = 0; i < 4; i++) {
      bao.put("app/s" + i, Map.of("value", "v1-" + i));
    }
    bao.api(
        "POST", "sys/quotas/rate-limit/kv", Map.of("path", "secret/", "rate", 2, "interval", "1s"));
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      Path cfg = work.resolve("sidecar.yaml");
      Files.writeString(
          cfg,
          TokenConfig.yaml(
              bao.address(),
              """
                S0: secret/app/s0#value
                S1: secret/app/s1#value
                S2: secret/app/s2#value
                S3: secret/app/s3#value
              refresh:
                interval: 1s
              outputs:
                socket:
                  path: %s
              """
                  .formatted(sock)));
      try (SidecarProcess p =
          SidecarProcess.start(
              work, Map.of("BAO_TOKEN", bao.rootToken()), "run", "-c", cfg.toString())) {
        p.awaitHealth(sock, r -> r.status() == 200, Duration.ofSeconds(90));
        double before = requests(sock);
        long started = System.nanoTime();
        putPastTheQuota(bao);
        int reads = 0;
        int failed = 0;
        long rotatedAfterMs = -1;
        // 15 s of app reads, one every 100 ms: bounded in count and time
        for (int i = 0; i < 150; i++) {
          UnixHttp.Response r = UnixHttp.get(sock, "/v1/secrets/S" + (i % 4));
          reads++;
          if (r.status() != 200) {
            failed++;
          }
          if (rotatedAfterMs < 0
              && "v2-2"
                  .equals(
                      SidecarRunIT.JSON
                          .readTree(UnixHttp.get(sock, "/v1/secrets/S2").body())
                          .path("value")
                          .asText())) {
            rotatedAfterMs = (System.nanoTime() - started) / 1_000_000;
          }
          Thread.sleep(100); // the app's read cadence, not a wait for an event
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = (requests(sock) - before) / seconds;
        JsonNode health = SidecarRunIT.JSON.readTree(UnixHttp.get(sock, "/v1/health").body());
        FaultFigures.of("rate-limit-quota")
            .put("failed_reads", failed)
            .put("reads", reads)
            .put("rotation_ms", rotatedAfterMs)
            .put("openbao_req_per_s", rate)
            .put("peak_rss_kb", FaultFigures.peakRssKb(p.pid()))
            .put("log_lines", p.stderr().lines().count())
            .emit();
        assertEquals(0, failed, "app reads failed under the quota:\n" + p.stderr());
        assertTrue(rotatedAfterMs >= 0, "the rotation never arrived:\n" + p.stderr());
        // 4 paths at 1 s freshness need ~4-8 requests/s; a retry storm would be far more
        assertTrue(rate < 20, "the sidecar hammered OpenBao: " + rate + " requests/s");
        assertTrue(health.path("revision").asLong() >= 2, health.toString());
      }
    }
  }

  /** The test's own write is subject to the quota too: retried, bounded. */
  private static void putPastTheQuota(OpenBao bao) throws InterruptedException {
    for (int i = 0; ; i++) {
      try {
        bao.put("app/s2", Map.of("value", "v2-2"));
        return;
      } catch (IllegalStateException e) {
        if (i >= 40 || !e.getMessage().contains("429")) {
          throw e;
        }
        Thread.sleep(250); // the quota's own window; a retry, not a wait for an event
      }
    }
  }

  private static double requests(Path sock) throws Exception {
    Matcher m = REQUESTS.matcher(UnixHttp.get(sock, "/metrics").body());
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }
}
