package io.baoinjector.sidecar.source;

import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves every name from the sources' state and publishes one snapshot per round, so a change to
 * N secrets in one round is one revision. Ready stays true once every name resolved with OpenBao
 * reachable, so a later outage serves stale values rather than none.
 *
 * <p>{@link CachedValues} from the cache are offered at startup and served, stale, from the first
 * round that cannot reach OpenBao (or when the caller's grace ends, for a first round stuck on a
 * hung OpenBao) until the first round that does; from then on the cache plays no part. When OpenBao
 * answers first, the offer is dropped unseen. The monitor guards the cache's fields and the
 * publishing itself, so a grace timer and a round never publish out of order.
 */
final class Publisher {
  // logs under Refresher: the name operators know
  private static final Logger log = LoggerFactory.getLogger(Refresher.class);

  private final NameTable names;
  private final SnapshotHub hub;
  private boolean everComplete;
  private CachedValues offered;
  private CachedValues cached;
  private boolean cachedComplete;

  Publisher(NameTable names, SnapshotHub hub, Duration interval) {
    this.names = names;
    this.hub = hub;
    hub.staleAfter(SnapshotHub.staleWindow(interval));
    // Until the first round, health lists every name as unresolved (not an empty list).
    hub.publish(Map.of(), Map.of(), names.initiallyUnresolved(), false, false);
  }

  Snapshot current() {
    return hub.current();
  }

  /** Keeps {@code c} to serve if OpenBao cannot be reached before it answers. */
  synchronized void offerCached(CachedValues c) {
    offered = c;
  }

  /**
   * Serves the offered values stale now, unless a round reached OpenBao first (then there is no
   * offer left). Ready while every cached entry is within its lease: the cache holds a complete
   * snapshot, so an entry dropped leaves a name without a value.
   */
  synchronized Snapshot serveOffered(Instant now) {
    if (offered == null) {
      return hub.current();
    }
    cached = offered;
    offered = null;
    cachedComplete = true;
    log.info(
        "cache: serving {} names from {} (written {}), stale until OpenBao answers",
        cached.size(),
        cached.origin(),
        cached.writtenAt());
    return publishCached(now);
  }

  /**
   * {@code retry}, or less when a cached lease being served expires sooner: it is dropped at its
   * expiry, not at the next retry.
   */
  synchronized Duration byCachedExpiry(Duration retry, Instant now) {
    Instant expiry = cached == null ? null : cached.earliestExpiry();
    if (expiry == null || !expiry.isBefore(now.plus(retry))) {
      return retry;
    }
    Duration d = Duration.between(now, expiry);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** {@code down}: the backends that could not be reached (their names are stale). */
  synchronized Snapshot publish(
      SourceRegistry sources, boolean unreachable, Set<String> down, Instant now) {
    if (unreachable && offered != null) {
      return serveOffered(now);
    }
    offered = null;
    if (cached != null) {
      if (unreachable) {
        return publishCached(now);
      }
      cached = null;
    }
    hub.leases(sources.leases());
    NameTable.Resolved r = names.resolve(sources::slot, hub.current());
    hub.backends(names.backendStatus(r.unresolved(), down));
    everComplete |= r.complete() && !unreachable;
    // a name served from the fallback file has a value: the app may start, on stale values
    boolean served =
        r.fallback()
            && r.unresolved().stream()
                .allMatch(n -> r.values().containsKey(n) || r.properties().containsKey(n));
    // a backend that is down is stale in its own health entry; the top-level flag is OpenBao's
    boolean stale = unreachable || r.fallback();
    return hub.publish(r.values(), r.properties(), r.unresolved(), stale, everComplete || served);
  }

  private Snapshot publishCached(Instant now) {
    CachedValues live = cached.liveAt(now);
    if (live.size() != cached.size()) {
      log.warn(
          "cache: {} cached name(s) passed their lease expiry and are no longer served",
          cached.size() - live.size());
      cached = live;
      cachedComplete = false;
    }
    // Every name is listed unresolved: none has been confirmed with OpenBao by this process.
    return hub.publish(
        CachedValues.entries(live.values()),
        CachedValues.entries(live.properties()),
        names.initiallyUnresolved(),
        true,
        cachedComplete);
  }
}
