package io.baoinjector.sidecar.source;

import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves every name from the sources' state and publishes one snapshot per round, so a change to
 * N secrets in one round is one revision. Ready stays true once every name resolved with OpenBao
 * reachable, so a later outage serves stale values rather than none.
 *
 * <p>With {@link CachedValues} from the cache, rounds that cannot reach OpenBao publish those
 * instead, stale, until the first round that does; from then on the cache plays no part.
 */
final class Publisher {
  // logs under Refresher: the name operators know
  private static final Logger log = LoggerFactory.getLogger(Refresher.class);

  private final NameTable names;
  private final SnapshotHub hub;
  private boolean everComplete;
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

  /**
   * Serves {@code c} stale until a round reaches OpenBao. Ready while every cached entry is within
   * its lease: the cache holds a complete snapshot, so an entry dropped leaves a name without a
   * value.
   */
  Snapshot serveCached(CachedValues c, Instant now) {
    cached = c;
    cachedComplete = true;
    return publishCached(now);
  }

  /** The earliest lease expiry among the cached entries being served, or null. */
  Instant cachedExpiry() {
    return cached == null ? null : cached.earliestExpiry();
  }

  Snapshot publish(SourceRegistry sources, boolean unreachable, Instant now) {
    if (cached != null) {
      if (unreachable) {
        return publishCached(now);
      }
      cached = null;
    }
    hub.leases(sources.leases());
    NameTable.Resolved r = names.resolve(sources::state, hub.current());
    everComplete |= r.complete() && !unreachable;
    return hub.publish(r.values(), r.properties(), r.unresolved(), unreachable, everComplete);
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
