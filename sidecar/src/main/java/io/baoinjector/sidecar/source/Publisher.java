package io.baoinjector.sidecar.source;

import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import java.time.Duration;
import java.util.Map;

/**
 * Resolves every name from the sources' state and publishes one snapshot per round, so a change to
 * N secrets in one round is one revision. Ready stays true once every name resolved with OpenBao
 * reachable, so a later outage serves stale values rather than none.
 */
final class Publisher {
  private final NameTable names;
  private final SnapshotHub hub;
  private boolean everComplete;

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

  Snapshot publish(SourceRegistry sources, boolean unreachable) {
    hub.leases(sources.leases());
    NameTable.Resolved r = names.resolve(sources::state, hub.current());
    everComplete |= r.complete() && !unreachable;
    return hub.publish(r.values(), r.properties(), r.unresolved(), unreachable, everComplete);
  }
}
