package io.baoinjector.sidecar.source;

import io.baoinjector.shared.Backoff;
import io.baoinjector.sidecar.config.LeaseSettings;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.TokenInvalidException;
import io.baoinjector.sidecar.openbao.UnavailableException;
import io.baoinjector.sidecar.snapshot.LeaseStatus;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.sidecar.source.NameTable.SourceKey;
import io.baoinjector.sidecar.source.NameTable.SourceState;
import io.baoinjector.sidecar.token.TokenProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the snapshot current. Each round checks the sources that are due (KV every {@code
 * refresh.interval}, leases on their own schedule, denied paths on their backoff), resolves every
 * name and publishes one snapshot, so a change to N secrets in one round is one revision.
 *
 * <p>When OpenBao is unreachable or sealed the round stops at the first failure, the
 * last-known-good values are published as stale, and rounds retry on the shared {@link Backoff} (1s
 * up to the interval) — no restart, no burst when OpenBao returns. A denied path (403 with a live
 * token) is marked unresolved and retried on its own backoff; it never triggers a login.
 */
public final class Refresher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Refresher.class);

  private final NameTable names;
  private final Reader reader;
  private final MountResolver mounts;
  private final SnapshotHub hub;
  private final Duration interval;
  private final LeaseSettings leases;
  private final Clock clock;
  private final RefreshObserver observer;
  private final Map<SourceKey, SourceSlot> sources = new LinkedHashMap<>();
  private final Backoff outageBackoff;
  private ScheduledExecutorService loop;
  private volatile OpenBaoException outage;
  private boolean everComplete;
  private Instant lastFullRound = Instant.EPOCH;

  public Refresher(
      SidecarConfig config,
      OpenBaoClient client,
      TokenProvider tokens,
      SnapshotHub hub,
      Clock clock,
      RefreshObserver observer) {
    this.names = new NameTable(config);
    this.reader = new Reader(client, tokens);
    this.mounts = new MountResolver(reader);
    this.hub = Objects.requireNonNull(hub, "hub == null");
    this.interval = config.refresh().interval();
    this.leases = config.leases();
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.observer = Objects.requireNonNull(observer, "observer == null");
    Duration cap = interval.compareTo(Duration.ofMinutes(5)) > 0 ? Duration.ofMinutes(5) : interval;
    this.outageBackoff =
        new Backoff(
            Duration.ofSeconds(1),
            cap.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : cap);
    hub.staleAfter(SnapshotHub.staleWindow(interval));
    for (SourceKey k : names.sourceKeys()) {
      sources.put(k, new SourceSlot());
    }
    // Until the first round, health lists every name as unresolved (not an empty list).
    hub.publish(Map.of(), Map.of(), names.initiallyUnresolved(), false, false);
  }

  /**
   * Reads every source now (startup, {@code render}, {@code env}) and publishes the result. Does
   * not throw when OpenBao is unreachable: the snapshot is then not ready, and {@link #outage()}
   * says why.
   */
  public synchronized Snapshot loadAll() {
    return round(true);
  }

  /** Why the last round could not reach OpenBao, or empty when it could. */
  public Optional<OpenBaoException> outage() {
    return Optional.ofNullable(outage);
  }

  /** Paths whose failure is the policy's (403 with a live token), with OpenBao's message. */
  public synchronized Map<String, String> deniedPaths() {
    Map<String, String> m = new LinkedHashMap<>();
    sources.forEach(
        (k, t) -> {
          if (t.deniedMessage() != null) {
            m.put(k.path(), t.deniedMessage());
          }
        });
    return m;
  }

  /** KV v2 paths whose metadata the policy denies (they fall back to reading data every round). */
  public synchronized java.util.List<String> metadataDeniedPaths() {
    java.util.List<String> l = new java.util.ArrayList<>();
    sources.forEach(
        (k, t) -> {
          if (t.source() instanceof KvV2Source kv && kv.metadataDenied()) {
            l.add(k.path());
          }
        });
    return l;
  }

  /** The source reading {@code path} (current version), for tests. */
  synchronized SecretSource source(String path) {
    SourceSlot t = sources.get(new SourceKey(path, 0));
    return t == null ? null : t.source();
  }

  /** Starts the background rounds (the {@code run} command). */
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bao-injector-refresh");
              t.setDaemon(true);
              return t;
            });
    schedule(nextDelay());
  }

  private void schedule(Duration d) {
    loop.schedule(this::tick, Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    Duration next;
    try {
      synchronized (this) {
        round(false);
        next = nextDelay();
      }
    } catch (RuntimeException e) {
      log.error("refresh round failed unexpectedly: {}", e.toString());
      next = outageBackoff.next();
    }
    if (!loop.isShutdown()) {
      schedule(next);
    }
  }

  /** One background round as the loop runs it; returns the delay to the next one (for tests). */
  synchronized Duration roundAndNextDelay() {
    round(false);
    return nextDelay();
  }

  private synchronized Duration nextDelay() {
    Instant now = clock.instant();
    if (outage != null) {
      return outageBackoff.next();
    }
    Instant at = lastFullRound.plus(interval);
    for (SourceSlot t : sources.values()) {
      Instant wake = t.wakeAt();
      if (wake != null && wake.isBefore(at)) {
        at = wake;
      }
    }
    Duration d = Duration.between(now, at);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private Snapshot round(boolean all) {
    long started = System.nanoTime();
    Instant now = clock.instant();
    boolean full = all || !now.isBefore(lastFullRound.plus(interval));
    OpenBaoException unreachable = null;
    for (Map.Entry<SourceKey, SourceSlot> e : sources.entrySet()) {
      SourceSlot t = e.getValue();
      if (!t.isDue(now, full, all)) {
        continue;
      }
      try {
        if (t.source() == null) {
          create(e.getKey(), t);
        }
        SecretData d = t.source().refresh(now);
        if (t.failing()) {
          log.info("{}: readable again", e.getKey().path());
        }
        t.succeeded(now, d);
      } catch (UnavailableException ex) {
        unreachable = ex;
        break;
      } catch (OpenBaoException ex) {
        if (t.failed(now, ex)) {
          log.warn(
              "{}: {} (keeping the last value; retrying with backoff)",
              e.getKey().path(),
              ex.getMessage());
        }
      }
      if (t.dropIfMisjudged()) {
        mounts.forget(e.getKey().path());
      }
    }
    if (unreachable != null) {
      sources.values().forEach(SourceSlot::invalidate);
      if (outage == null) {
        log.warn(
            "{}: {}; serving last-known-good values (stale)",
            unreachable instanceof TokenInvalidException
                ? "OpenBao refused the token"
                : "OpenBao unreachable",
            unreachable.getMessage());
      }
      outage = unreachable;
    } else {
      if (outage != null) {
        log.info("OpenBao reachable again; values are fresh");
      }
      outage = null;
      outageBackoff.reset();
      if (full) {
        lastFullRound = now;
      }
    }
    publishLeases();
    Snapshot prev = hub.current();
    NameTable.Resolved r =
        names.resolve(
            k -> {
              SourceSlot t = sources.get(k);
              return t == null ? null : new SourceState(t.lastGood(), t.failing(), t.confirmedAt());
            },
            prev);
    everComplete |= r.complete() && unreachable == null;
    Snapshot next =
        hub.publish(r.values(), r.properties(), r.unresolved(), unreachable != null, everComplete);
    observer.round(
        unreachable == null,
        next.revision() != prev.revision(),
        Duration.ofNanos(System.nanoTime() - started));
    return next;
  }

  private void publishLeases() {
    java.util.List<LeaseStatus> l = new java.util.ArrayList<>();
    for (SourceSlot t : sources.values()) {
      if (t.source() instanceof DirectSource d) {
        l.addAll(d.leases());
      }
    }
    hub.leases(l);
  }

  private void create(SourceKey key, SourceSlot slot) {
    Mount m = mounts.resolve(key.path());
    if (m.isKvV2()) {
      slot.created(new KvV2Source(key.path(), m, key.version(), reader), false);
      return;
    }
    if (key.version() > 0) {
      log.warn(
          "{}: @{} pins a KV v2 version, but {} is not KV v2; ignoring the pin",
          key.path(),
          key.version(),
          m.path().isEmpty() ? "the mount" : m.path());
    }
    slot.created(new DirectSource(key.path(), reader, observer, leases), m.guessed());
  }

  /** Stops the background rounds. Idempotent. */
  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.shutdownNow();
    }
  }
}
