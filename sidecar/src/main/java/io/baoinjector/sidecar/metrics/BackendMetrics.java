package io.baoinjector.sidecar.metrics;

import io.baoinjector.sidecar.snapshot.BackendStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Stores other than OpenBao, labelled by backend block: requests by outcome, and per block whether
 * it is stale and how many of its names are unresolved (no series without blocks).
 */
public final class BackendMetrics {
  private final Counter requests;
  private volatile Supplier<Map<String, BackendStatus>> source = Map::of;

  BackendMetrics(PrometheusRegistry registry) {
    requests =
        Counter.builder()
            .name(Metrics.P + "backend_requests_total")
            .help(
                "Reads and version checks of stores other than OpenBao, by backend block and"
                    + " outcome: read, unchanged, unavailable, denied, not_found, invalid.")
            .labelNames("backend", "outcome")
            .register(registry);
  }

  /** Where the gauges read from, e.g. {@code hub::backends}. */
  public void source(Supplier<Map<String, BackendStatus>> s) {
    this.source = s;
  }

  /** One read or version check answered (or failed) with {@code outcome}. */
  public void request(String backend, String outcome) {
    requests.labelValues(backend, outcome).inc();
  }

  List<GaugeSnapshot> gauges() {
    Map<String, BackendStatus> backends = source.get();
    if (backends.isEmpty()) {
      return List.of();
    }
    GaugeSnapshot.Builder stale =
        GaugeSnapshot.builder()
            .name(Metrics.P + "backend_stale")
            .help("1 while a store other than OpenBao cannot be reached (its names are stale).");
    GaugeSnapshot.Builder unresolved =
        GaugeSnapshot.builder()
            .name(Metrics.P + "backend_unresolved_names")
            .help("Names of a store other than OpenBao without a current value.");
    backends.forEach(
        (name, b) -> {
          Labels l = Labels.of("backend", name);
          stale.dataPoint(
              GaugeDataPointSnapshot.builder().labels(l).value(b.stale() ? 1 : 0).build());
          unresolved.dataPoint(
              GaugeDataPointSnapshot.builder().labels(l).value(b.unresolved().size()).build());
        });
    return List.of(stale.build(), unresolved.build());
  }
}
