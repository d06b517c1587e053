package io.baoinjector.sidecar.metrics;

import io.baoinjector.sidecar.config.ConfigException;
import io.baoinjector.sidecar.snapshot.LeaseStatus;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The sidecar's Prometheus metrics, one instance per process. Components call the event methods
 * below; {@link #scrape()} renders the text exposition format (0.0.4) for {@code GET /metrics}, the
 * sidecar's own metrics followed by the JVM's (memory, GC, threads, process).
 *
 * <p>Labels carry only fixed vocabularies (auth method, outcome, endpoint, file path), never a
 * secret's name or value: a name alone can say more than it should (which customer, which backend),
 * and label values end up in long-lived monitoring storage.
 */
public final class Metrics {
  static final String P = "bao_injector_";
  // OpenBao round trips: sub-millisecond on loopback to tens of seconds through a retrying proxy.
  private static final double[] LATENCY_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };
  private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();

  private final Clock clock;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter logins =
      counter("logins_total", "Logins to OpenBao by method and outcome.", "method", "outcome");
  private final Counter renewals =
      counter("renewals_total", "Token and lease renewals by kind and outcome.", "kind", "outcome");
  private final Counter requests =
      counter(
          "openbao_requests_total",
          "HTTP requests to OpenBao by method and outcome.",
          "method",
          "outcome");
  private final Histogram latency =
      Histogram.builder()
          .name(P + "openbao_request_duration_seconds")
          .help("Latency of HTTP requests to OpenBao by method.")
          .labelNames("method")
          .classicUpperBounds(LATENCY_BUCKETS)
          .classicOnly()
          .register(registry);
  private final Counter rounds =
      counter("refresh_rounds_total", "Refresh rounds by outcome.", "outcome");
  private final Counter socketRequests =
      counter(
          "socket_requests_total",
          "Socket and probe API requests by endpoint and status.",
          "endpoint",
          "status");
  private final Counter refreshRequests =
      counter(
          "refresh_requests_total",
          "Forced refreshes (POST /v1/refresh, SIGHUP) by outcome: ok, failed, timeout.",
          "outcome");
  private final Counter renders =
      counter("file_renders_total", "File renders by file path and outcome.", "path", "outcome");
  private final BackendMetrics backends = new BackendMetrics(registry);
  private volatile Supplier<Snapshot> snapshot;
  private volatile Supplier<List<LeaseStatus>> leases;

  public Metrics() {
    this(Clock.systemUTC());
  }

  /**
   * A new instance, or a {@link ConfigException} when the client library's own properties are bad:
   * it reads them (PROMETHEUS_CONFIG, {@code -Dprometheus.config}, IO_PROMETHEUS_* variables) in a
   * static initializer at its first use, whose failure would otherwise end the JVM with a trace.
   */
  public static Metrics create() {
    try {
      return new Metrics();
    } catch (ExceptionInInitializerError e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ConfigException(
          "the Prometheus client's properties (PROMETHEUS_CONFIG, -Dprometheus.config,"
              + " IO_PROMETHEUS_* variables)",
          0,
          null,
          String.valueOf(cause.getMessage()),
          "fix or unset them; bao-injector needs none");
    }
  }

  public Metrics(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock == null");
    registry.register(this::gauges);
    // A lambda, not a method reference: the JVM's collectors are set up at the first scrape.
    registry.register(() -> Jvm.REGISTRY.scrape());
  }

  private Counter counter(String name, String help, String... labels) {
    return Counter.builder().name(P + name).help(help).labelNames(labels).register(registry);
  }

  /**
   * Where the snapshot gauges (revision, staleness, secret age) read from, e.g. {@code
   * hub::current}.
   */
  public void snapshotSource(Supplier<Snapshot> source) {
    this.snapshot = Objects.requireNonNull(source, "source == null");
  }

  /** The metrics of stores other than OpenBao. */
  public BackendMetrics backends() {
    return backends;
  }

  /** Where the lease gauges read from, e.g. {@code hub::leases}. */
  public void leaseSource(Supplier<List<LeaseStatus>> source) {
    this.leases = Objects.requireNonNull(source, "source == null");
  }

  /** A login attempt: {@code method} as configured (token, approle, kubernetes, jwt). */
  public void login(String method, boolean ok) {
    logins.labelValues(method, outcome(ok)).inc();
  }

  /** A renewal attempt; {@code kind} is {@code token} or {@code lease}. */
  public void renewal(String kind, boolean ok) {
    renewals.labelValues(kind, outcome(ok)).inc();
  }

  /**
   * One HTTP request to OpenBao. {@code outcome} is a small fixed vocabulary: {@code ok}, {@code
   * 4xx}, {@code 5xx}, {@code 429}, {@code io_error}... never a path (paths can embed names).
   */
  public void openbaoRequest(String method, String outcome, double seconds) {
    requests.labelValues(method, outcome).inc();
    latency.labelValues(method).observe(seconds);
  }

  /**
   * One refresh round finished; {@code ok} false when any name failed or OpenBao was unreachable.
   */
  public void refreshRound(boolean ok) {
    rounds.labelValues(outcome(ok)).inc();
  }

  /**
   * One answered API request; {@code endpoint} is the route ({@code /v1/secrets/{name}}), not the
   * raw path.
   */
  public void socketRequest(String endpoint, int status) {
    socketRequests.labelValues(endpoint, Integer.toString(status)).inc();
  }

  /**
   * One forced refresh answered: {@code ok}, {@code failed} (OpenBao unreachable), {@code timeout}.
   */
  public void refreshRequest(String outcome) {
    refreshRequests.labelValues(outcome).inc();
  }

  /** One render of a file output (written, or failed to write). */
  public void fileRender(String path, boolean ok) {
    renders.labelValues(path, outcome(ok)).inc();
  }

  private static String outcome(boolean ok) {
    return ok ? "ok" : "error";
  }

  /** The text exposition of every metric. */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      TEXT.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The snapshot and lease gauges, read from one snapshot per scrape so they agree. */
  private MetricSnapshots gauges() {
    List<MetricSnapshot> out = new ArrayList<>();
    Instant now = clock.instant();
    Supplier<Snapshot> src = snapshot;
    if (src != null) {
      Snapshot s = src.get();
      out.add(gauge("revision", "Content revision of the current snapshot.", s.revision()));
      out.add(gauge("ready", "1 once every name resolved and the sidecar is serving.", s.ready()));
      out.add(
          gauge(
              "stale",
              "1 while serving last-known-good values during an OpenBao outage.",
              s.stale()));
      out.add(gauge("unresolved_names", "Names without a current value.", s.unresolved().size()));
      out.add(
          gauge(
              "names",
              "Names (values and properties) in the current snapshot.",
              s.values().size() + s.properties().size()));
      Instant oldest =
          Stream.concat(s.values().values().stream(), s.properties().values().stream())
              .map(Snapshot.Entry::fetchedAt)
              .min(Comparator.naturalOrder())
              .orElse(null);
      out.add(
          gauge(
              "secret_max_age_seconds",
              "Seconds since the least recently confirmed value was last confirmed current with"
                  + " OpenBao.",
              oldest == null ? 0 : seconds(oldest, now)));
      out.add(
          gauge(
              "snapshot_age_seconds",
              "Seconds since the current snapshot was published.",
              seconds(s.updatedAt(), now)));
    }
    Supplier<List<LeaseStatus>> leaseSrc = leases;
    if (leaseSrc != null) {
      out.add(leaseGauge(leaseSrc.get(), now));
    }
    out.addAll(backends.gauges());
    return new MetricSnapshots(out);
  }

  /**
   * One series per live lease, labelled by the OpenBao path as the config names it (like a file
   * output's path: configuration, not a secret's name or value; never the lease id) and {@code
   * replaced} ({@code true} in an overlap, so two series of one path mean an overlap).
   */
  private static GaugeSnapshot leaseGauge(List<LeaseStatus> leases, Instant now) {
    GaugeSnapshot.Builder g =
        GaugeSnapshot.builder()
            .name(P + "lease_expiry_seconds")
            .help("Seconds until each live lease of a dynamic secret expires unless renewed.");
    for (LeaseStatus l : leases) {
      g.dataPoint(
          GaugeDataPointSnapshot.builder()
              .labels(Labels.of("path", l.path(), "replaced", Boolean.toString(l.replaced())))
              .value(seconds(now, l.expiresAt()))
              .build());
    }
    return g.build();
  }

  private static double seconds(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
  }

  private static GaugeSnapshot gauge(String name, String help, boolean value) {
    return gauge(name, help, value ? 1 : 0);
  }

  private static GaugeSnapshot gauge(String name, String help, double value) {
    return GaugeSnapshot.builder()
        .name(P + name)
        .help(help)
        .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
        .build();
  }

  /** The JVM's collectors, once per process: they read process-wide MXBeans. */
  private static final class Jvm {
    static final PrometheusRegistry REGISTRY = new PrometheusRegistry();

    static {
      JvmMetrics.builder().register(REGISTRY);
    }
  }
}
