package io.baoinjector.sidecar.metrics;

import io.baoinjector.sidecar.snapshot.LeaseStatus;
import io.baoinjector.sidecar.snapshot.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The sidecar's Prometheus metrics, one instance per process. Components call the event methods
 * below; {@link #scrape()} renders the text exposition format (0.0.4) for {@code GET /metrics}.
 *
 * <p>Labels carry only fixed vocabularies (auth method, outcome, endpoint, file path), never a
 * secret's name or value: a name alone can say more than it should (which customer, which backend),
 * and label values end up in long-lived monitoring storage.
 */
public final class Metrics {
  private static final String P = "bao_injector_";
  // OpenBao round trips: sub-millisecond on loopback to tens of seconds through a retrying proxy.
  private static final double[] LATENCY_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };

  private final Clock clock;
  private final Family logins =
      Family.counter(P + "logins_total", "Logins to OpenBao by method and outcome.");
  private final Family renewals =
      Family.counter(P + "renewals_total", "Token and lease renewals by kind and outcome.");
  private final Family requests =
      Family.counter(
          P + "openbao_requests_total", "HTTP requests to OpenBao by method and outcome.");
  private final Histogram latency =
      new Histogram(
          P + "openbao_request_duration_seconds",
          "Latency of HTTP requests to OpenBao by method.",
          LATENCY_BUCKETS);
  private final Family rounds =
      Family.counter(P + "refresh_rounds_total", "Refresh rounds by outcome.");
  private final Family socketRequests =
      Family.counter(
          P + "socket_requests_total", "Socket and probe API requests by endpoint and status.");
  private final Family refreshRequests =
      Family.counter(
          P + "refresh_requests_total",
          "Forced refreshes (POST /v1/refresh, SIGHUP) by outcome: ok, failed, timeout.");
  private final Family renders =
      Family.counter(P + "file_renders_total", "File renders by file path and outcome.");
  private volatile Supplier<Snapshot> snapshot;
  private volatile Supplier<List<LeaseStatus>> leases;

  public Metrics() {
    this(Clock.systemUTC());
  }

  public Metrics(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /**
   * Where the snapshot gauges (revision, staleness, secret age) read from, e.g. {@code
   * hub::current}.
   */
  public void snapshotSource(Supplier<Snapshot> source) {
    this.snapshot = Objects.requireNonNull(source, "source == null");
  }

  /** Where the lease gauges read from, e.g. {@code hub::leases}. */
  public void leaseSource(Supplier<List<LeaseStatus>> source) {
    this.leases = Objects.requireNonNull(source, "source == null");
  }

  /** A login attempt: {@code method} as configured (token, approle, kubernetes, jwt). */
  public void login(String method, boolean ok) {
    logins.inc(1, "method", method, "outcome", outcome(ok));
  }

  /** A renewal attempt; {@code kind} is {@code token} or {@code lease}. */
  public void renewal(String kind, boolean ok) {
    renewals.inc(1, "kind", kind, "outcome", outcome(ok));
  }

  /**
   * One HTTP request to OpenBao. {@code outcome} is a small fixed vocabulary: {@code ok}, {@code
   * 4xx}, {@code 5xx}, {@code 429}, {@code io_error}... never a path (paths can embed names).
   */
  public void openbaoRequest(String method, String outcome, double seconds) {
    requests.inc(1, "method", method, "outcome", outcome);
    latency.observe(seconds, "method", method);
  }

  /**
   * One refresh round finished; {@code ok} false when any name failed or OpenBao was unreachable.
   */
  public void refreshRound(boolean ok) {
    rounds.inc(1, "outcome", outcome(ok));
  }

  /**
   * One answered API request; {@code endpoint} is the route ({@code /v1/secrets/{name}}), not the
   * raw path.
   */
  public void socketRequest(String endpoint, int status) {
    socketRequests.inc(1, "endpoint", endpoint, "status", Integer.toString(status));
  }

  /**
   * One forced refresh answered: {@code ok}, {@code failed} (OpenBao unreachable), {@code timeout}.
   */
  public void refreshRequest(String outcome) {
    refreshRequests.inc(1, "outcome", outcome);
  }

  /** One render of a file output (written, or failed to write). */
  public void fileRender(String path, boolean ok) {
    renders.inc(1, "path", path, "outcome", outcome(ok));
  }

  private static String outcome(boolean ok) {
    return ok ? "ok" : "error";
  }

  /** The text exposition of every metric. */
  public String scrape() {
    StringBuilder b = new StringBuilder(2048);
    logins.write(b);
    renewals.write(b);
    requests.write(b);
    latency.write(b);
    rounds.write(b);
    socketRequests.write(b);
    refreshRequests.write(b);
    renders.write(b);
    writeSnapshotGauges(b);
    writeLeaseGauges(b);
    return b.toString();
  }

  private void writeSnapshotGauges(StringBuilder b) {
    Supplier<Snapshot> src = snapshot;
    if (src == null) {
      return;
    }
    Snapshot s = src.get();
    Instant now = clock.instant();
    gauge(b, "revision", "Content revision of the current snapshot.", s.revision());
    gauge(b, "ready", "1 once every name resolved and the sidecar is serving.", s.ready() ? 1 : 0);
    gauge(
        b,
        "stale",
        "1 while serving last-known-good values during an OpenBao outage.",
        s.stale() ? 1 : 0);
    gauge(b, "unresolved_names", "Names without a current value.", s.unresolved().size());
    gauge(
        b,
        "names",
        "Names (values and properties) in the current snapshot.",
        s.values().size() + s.properties().size());
    Instant oldest = null;
    for (Snapshot.Entry e : s.values().values()) {
      oldest = oldest == null || e.fetchedAt().isBefore(oldest) ? e.fetchedAt() : oldest;
    }
    for (Snapshot.Entry e : s.properties().values()) {
      oldest = oldest == null || e.fetchedAt().isBefore(oldest) ? e.fetchedAt() : oldest;
    }
    gauge(
        b,
        "secret_max_age_seconds",
        "Seconds since the least recently confirmed value was last confirmed current with OpenBao.",
        oldest == null ? 0 : seconds(oldest, now));
    gauge(
        b,
        "snapshot_age_seconds",
        "Seconds since the current snapshot was published.",
        seconds(s.updatedAt(), now));
  }

  /**
   * One series per live lease, labelled by the OpenBao path as the config names it (like a file
   * output's path: configuration, not a secret's name or value; never the lease id) and {@code
   * replaced} ({@code true} in an overlap, so two series of one path mean an overlap).
   */
  private void writeLeaseGauges(StringBuilder b) {
    Supplier<List<LeaseStatus>> src = leases;
    if (src == null) {
      return;
    }
    Instant now = clock.instant();
    String name = P + "lease_expiry_seconds";
    b.append("# HELP ")
        .append(name)
        .append(" Seconds until each live lease of a dynamic secret expires unless renewed.\n");
    b.append("# TYPE ").append(name).append(" gauge\n");
    for (LeaseStatus l : src.get()) {
      b.append(name)
          .append(Family.labels("path", l.path(), "replaced", Boolean.toString(l.replaced())))
          .append(' ')
          .append(Family.number(seconds(now, l.expiresAt())))
          .append('\n');
    }
  }

  private static double seconds(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
  }

  private static void gauge(StringBuilder b, String name, String help, double value) {
    b.append("# HELP ").append(P).append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(P).append(name).append(" gauge\n");
    b.append(P).append(name).append(' ').append(Family.number(value)).append('\n');
  }
}
