package io.baoinjector.sidecar.source;

import io.baoinjector.sidecar.openbao.OpenBaoException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The backends that could not be reached, each with its own {@link Outage}: a store that is down
 * marks only its names stale, and its secrets are tried again on its backoff rather than in every
 * round, so a hung store costs the rounds that read OpenBao one timeout per retry, not one per
 * secret per round. Not thread-safe: the refresher's lock guards it.
 */
final class BackendOutages {
  private final Duration interval;
  private final Map<String, Outage> down = new LinkedHashMap<>();
  private final Map<String, Instant> retryAt = new HashMap<>();

  BackendOutages(Duration interval) {
    this.interval = interval;
  }

  /** True while {@code backend} waits for its next retry. */
  boolean waiting(String backend, Instant now) {
    Instant r = retryAt.get(backend);
    return r != null && now.isBefore(r);
  }

  /** Records the failure; returns when {@code backend} is to be tried again. */
  Instant failed(String backend, OpenBaoException unreachable, Instant now) {
    Outage o = down.computeIfAbsent(backend, b -> new Outage(interval, b));
    o.failed(unreachable);
    Instant at = now.plus(o.retryDelay());
    retryAt.put(backend, at);
    return at;
  }

  void answered(String backend) {
    Outage o = down.remove(backend);
    if (o != null) {
      o.cleared();
    }
    retryAt.remove(backend);
  }

  Set<String> down() {
    return down.keySet();
  }

  /** The earliest retry, if before {@code at}. */
  Instant earliestRetry(Instant at) {
    for (Instant r : retryAt.values()) {
      if (r.isBefore(at)) {
        at = r;
      }
    }
    return at;
  }
}
