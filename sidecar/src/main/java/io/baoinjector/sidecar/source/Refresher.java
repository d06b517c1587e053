package io.baoinjector.sidecar.source;

import io.baoinjector.sidecar.backend.Backends;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.UnavailableException;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.sidecar.token.TokenProvider;
import io.baoinjector.sidecar.util.Daemons;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the snapshot current. Each round checks the sources that are due (KV every {@code
 * refresh.interval}, leases on their own schedule, denied paths on their backoff), then the {@link
 * Publisher} resolves every name and publishes one snapshot.
 *
 * <p>When OpenBao is unreachable or sealed the round stops at the first failure, the
 * last-known-good values are published as stale, and rounds retry on the {@link Outage}'s {@link
 * io.baoinjector.shared.Backoff} — no restart, no burst when OpenBao returns. A denied path (403
 * with a live token) is marked unresolved and retried on its own backoff; it never triggers a
 * login. Every read goes through the token-aware {@link Reader}.
 *
 * <p>{@link #refreshNow()} asks for a full round at once ({@link ForcedRounds}): every KV path is
 * checked, while a leased path keeps its own schedule (a read would mint new credentials) and a
 * failing path its backoff. During an outage it adds no request: it waits for the outage's next
 * retry.
 */
public final class Refresher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Refresher.class);

  private final SourceRegistry sources;
  private final Publisher publisher;
  private final Outage outage;
  private final Duration interval;
  private final Clock clock;
  private final RefreshObserver observer;
  private final ForcedRounds forced = new ForcedRounds(ForcedRounds.MIN_GAP, System::nanoTime);
  private volatile ScheduledExecutorService loop;
  private ScheduledFuture<?> nextTick;
  private Instant lastFullRound = Instant.EPOCH;

  /** {@code backends}: the stores other than OpenBao that {@code config} names, already open. */
  public Refresher(
      SidecarConfig config,
      OpenBaoClient client,
      TokenProvider tokens,
      SnapshotHub hub,
      Clock clock,
      RefreshObserver observer,
      Backends backends) {
    NameTable names = new NameTable(config);
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.observer = Objects.requireNonNull(observer, "observer == null");
    this.interval = config.refresh().interval();
    this.sources =
        new SourceRegistry(
            names.sourceKeys(),
            new Reader(client, tokens),
            observer,
            config.leases(),
            backends,
            interval);
    this.outage = new Outage(interval);
    this.publisher = new Publisher(names, Objects.requireNonNull(hub, "hub == null"), interval);
  }

  /**
   * Reads every source now (startup, {@code render}, {@code env}) and publishes the result. Does
   * not throw when OpenBao is unreachable: the snapshot is then not ready, and {@link #outage()}
   * says why.
   */
  public synchronized Snapshot loadAll() {
    return round(true, null);
  }

  /**
   * Asks for a full round that starts after this call, shared with every other request made before
   * it starts. Completes with the published snapshot, or exceptionally with the outage that stopped
   * the round; never blocks (the caller bounds the wait). Before {@link #start()} the round waits
   * for the background rounds to begin.
   */
  public CompletableFuture<Snapshot> refreshNow() {
    ForcedRounds.Ask a = forced.ask();
    if (a.first()) {
      scheduleForced();
    }
    return a.future();
  }

  private void scheduleForced() {
    ScheduledExecutorService l = loop;
    if (l == null || outage.active()) {
      return; // start(), or the outage's next retry round, takes the request
    }
    long nanos = forced.untilAllowed().toNanos();
    try {
      l.schedule(this::forcedTick, (nanos + 999_999) / 1_000_000, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed: the caller's deadline answers
    }
  }

  private void forcedTick() {
    Duration next;
    synchronized (this) {
      if (outage.active()) {
        return; // the outage's retry round takes the request, so nothing hammers OpenBao
      }
      CompletableFuture<Snapshot> f = forced.take(true);
      if (f == null) {
        next = null;
      } else {
        try {
          round(false, f);
        } catch (RuntimeException e) {
          log.error("refresh round failed unexpectedly: {}", e.toString());
          f.completeExceptionally(e);
        }
        next = nextDelay();
      }
    }
    if (next != null) {
      schedule(next); // this round may have started an outage: retry on its backoff
    } else if (forced.hasPending()) {
      scheduleForced();
    }
  }

  /** Offers values of an earlier process (the cache); see {@link Publisher}. */
  public void offerCached(CachedValues cached) {
    publisher.offerCached(cached);
  }

  /**
   * Serves the offered cache unless a round reached OpenBao; without the lock a hung round holds.
   */
  public Snapshot serveCachedNow() {
    return publisher.serveOffered(clock.instant());
  }

  /** Why the last round could not reach OpenBao, or empty when it could. */
  public Optional<OpenBaoException> outage() {
    return outage.current();
  }

  /** Paths whose failure is the policy's (403 with a live token), with OpenBao's message. */
  public synchronized Map<String, String> deniedPaths() {
    return sources.deniedPaths();
  }

  /** KV v2 paths whose metadata the policy denies (they fall back to reading data every round). */
  public synchronized List<String> metadataDeniedPaths() {
    return sources.metadataDeniedPaths();
  }

  /** The source reading {@code path} (current version), for tests. */
  synchronized SecretSource source(String path) {
    return sources.source(path);
  }

  /** Starts the background rounds (the {@code run} command). */
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    loop = Executors.newSingleThreadScheduledExecutor(Daemons.named("bao-injector-refresh"));
    schedule(nextDelay());
    if (forced.hasPending()) {
      scheduleForced();
    }
  }

  /** (Re)schedules the one background round, replacing the one scheduled before. */
  private synchronized void schedule(Duration d) {
    if (loop.isShutdown()) {
      return;
    }
    if (nextTick != null) {
      nextTick.cancel(false);
    }
    nextTick = loop.schedule(this::tick, Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    Duration next;
    try {
      next = roundAndNextDelay();
    } catch (RuntimeException e) {
      log.error("refresh round failed unexpectedly: {}", e.toString());
      next = outage.retryDelay();
    }
    if (!loop.isShutdown()) {
      schedule(next);
      if (forced.hasPending()) {
        scheduleForced(); // asked while this round ended an outage
      }
    }
  }

  /** One background round as the loop runs it; returns the delay to the next one. */
  synchronized Duration roundAndNextDelay() {
    round(false, forced.take(false));
    return nextDelay();
  }

  private synchronized Duration nextDelay() {
    if (outage.active()) {
      return publisher.byCachedExpiry(outage.retryDelay(), clock.instant());
    }
    Duration d =
        Duration.between(clock.instant(), sources.earliestWake(lastFullRound.plus(interval)));
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** {@code asked}: the requests this round answers ({@link #refreshNow()}), or null. */
  private Snapshot round(boolean all, CompletableFuture<Snapshot> asked) {
    long started = System.nanoTime();
    Instant now = clock.instant();
    boolean full = all || asked != null || !now.isBefore(lastFullRound.plus(interval));
    UnavailableException unreachable = sources.readDue(now, full, all);
    if (unreachable != null) {
      sources.invalidateAll();
      outage.failed(unreachable);
    } else {
      outage.cleared();
      if (full) {
        lastFullRound = now;
      }
    }
    Snapshot prev = publisher.current();
    Snapshot next = publisher.publish(sources, unreachable != null, sources.downBackends(), now);
    observer.round(
        unreachable == null,
        next.revision() != prev.revision(),
        Duration.ofNanos(System.nanoTime() - started));
    if (asked != null) {
      if (unreachable != null) {
        asked.completeExceptionally(unreachable);
      } else {
        asked.complete(next);
      }
    }
    return next;
  }

  /** Stops the background rounds. Idempotent. */
  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.shutdownNow();
    }
  }
}
