package io.baoinjector.sidecar.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.snapshot.Snapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricsTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");

  @Test
  void countersAndHistogramRenderInTextFormat() {
    Metrics m = new Metrics(Clock.fixed(NOW, ZoneOffset.UTC));
    m.login("approle", true);
    m.login("approle", false);
    m.login("approle", true);
    m.renewal("token", true);
    m.refreshRound(false);
    m.openbaoRequest("GET", "ok", 0.02);
    m.openbaoRequest("GET", "ok", 3);
    m.socketRequest("/v1/env", 200);
    m.fileRender("/run/a \"b\"\n", true);
    String t = m.scrape();
    assertTrue(t.contains("# TYPE bao_injector_logins_total counter\n"), t);
    assertTrue(t.contains("bao_injector_logins_total{method=\"approle\",outcome=\"ok\"} 2.0\n"), t);
    assertTrue(
        t.contains("bao_injector_logins_total{method=\"approle\",outcome=\"error\"} 1.0\n"), t);
    assertTrue(t.contains("bao_injector_renewals_total{kind=\"token\",outcome=\"ok\"} 1.0\n"), t);
    assertTrue(t.contains("bao_injector_refresh_rounds_total{outcome=\"error\"} 1.0\n"), t);
    assertTrue(
        t.contains("bao_injector_openbao_requests_total{method=\"GET\",outcome=\"ok\"} 2.0\n"), t);
    assertTrue(t.contains("# TYPE bao_injector_openbao_request_duration_seconds histogram\n"), t);
    assertTrue(
        t.contains(
            "bao_injector_openbao_request_duration_seconds_bucket{method=\"GET\",le=\"0.01\"} 0\n"),
        t);
    assertTrue(
        t.contains(
            "bao_injector_openbao_request_duration_seconds_bucket{method=\"GET\",le=\"0.025\"} 1\n"),
        t);
    assertTrue(
        t.contains(
            "bao_injector_openbao_request_duration_seconds_bucket{method=\"GET\",le=\"5.0\"} 2\n"),
        t);
    assertTrue(
        t.contains(
            "bao_injector_openbao_request_duration_seconds_bucket{method=\"GET\",le=\"+Inf\"} 2\n"),
        t);
    assertTrue(
        t.contains("bao_injector_openbao_request_duration_seconds_sum{method=\"GET\"} 3.02\n"), t);
    assertTrue(
        t.contains("bao_injector_openbao_request_duration_seconds_count{method=\"GET\"} 2\n"), t);
    assertTrue(
        t.contains("bao_injector_socket_requests_total{endpoint=\"/v1/env\",status=\"200\"} 1.0\n"),
        t);
    // label names sorted; quote and newline escaped in the value
    assertTrue(
        t.contains(
            "bao_injector_file_renders_total{outcome=\"ok\",path=\"/run/a \\\"b\\\"\\n\"} 1.0\n"),
        t);
    assertFalse(t.contains("bao_injector_revision"), "no snapshot source, no snapshot gauges");
  }

  @Test
  void snapshotGaugesShowRevisionStalenessAndAgeButNeverValues() {
    Metrics m = new Metrics(Clock.fixed(NOW, ZoneOffset.UTC));
    Snapshot s =
        new Snapshot(
            "i",
            4,
            Map.of(
                "DB_PASSWORD",
                new Snapshot.Entry(
                    SecretValue.of("canary-M3tr1c"), 2, "secret/db#p", NOW.minusSeconds(45)),
                "DB_USER",
                new Snapshot.Entry(SecretValue.of("u"), 2, "secret/db#u", NOW.minusSeconds(5))),
            Map.of(),
            Set.of("X"),
            true,
            true,
            NOW.minusSeconds(2));
    m.snapshotSource(() -> s);
    String t = m.scrape();
    assertTrue(t.contains("bao_injector_revision 4.0\n"), t);
    assertTrue(t.contains("bao_injector_stale 1.0\n"), t);
    assertTrue(t.contains("bao_injector_ready 1.0\n"), t);
    assertTrue(t.contains("bao_injector_unresolved_names 1.0\n"), t);
    assertTrue(t.contains("bao_injector_names 2.0\n"), t);
    assertTrue(t.contains("bao_injector_secret_max_age_seconds 45.0\n"), t);
    assertTrue(t.contains("bao_injector_snapshot_age_seconds 2.0\n"), t);
    assertFalse(t.contains("canary"), t);
    assertFalse(t.contains("DB_PASSWORD"), t);
  }

  @Test
  void jvmMetricsShowMemoryGcThreadsAndTheProcess() {
    String t = new Metrics().scrape();
    for (String type :
        List.of(
            "jvm_memory_used_bytes gauge",
            "jvm_memory_pool_used_bytes gauge",
            "jvm_buffer_pool_used_bytes gauge",
            "jvm_gc_collection_seconds summary",
            "jvm_threads_current gauge",
            "jvm_classes_currently_loaded gauge",
            "process_resident_memory_bytes gauge")) {
      assertTrue(t.contains("# TYPE " + type + "\n"), type + " in\n" + t);
    }
    assertTrue(t.contains("jvm_memory_used_bytes{area=\"heap\"} "), t);
    assertTrue(t.indexOf("# TYPE bao_injector_") < t.indexOf("# TYPE jvm_"), "ours first");
  }
}
