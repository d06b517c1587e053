package io.baoinjector.sidecar.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.config.LeaseSettings;
import io.baoinjector.sidecar.openbao.NotFoundException;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.UnavailableException;
import io.baoinjector.sidecar.snapshot.LeaseStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A path read as it is: KV v1, or any other engine ({@code database/creds/app}). An answer without
 * a lease is re-read every round and compared. An answer with a lease is read once per lease and
 * renewed (see {@link Lease}); {@code leases.overlap} before its hard expiry the successor is read
 * and published (username and password come from that one read, so they change in one revision).
 * The replaced lease stays live through the overlap, then is revoked ({@code
 * leases.revoke-replaced}) — at most two leases of a path are live, and two only in an overlap.
 *
 * <p>The sidecar cannot know when every app has moved to the new credentials (there is no
 * acknowledgement from the agents), so the old lease is revoked when the overlap ends, not sooner.
 */
final class DirectSource implements SecretSource {
  private static final Logger log = LoggerFactory.getLogger(DirectSource.class);

  private final String path;
  private final Reader reader;
  private final RefreshObserver observer;
  private final Duration overlap;
  private final boolean revokeReplaced;
  private volatile SecretData last;
  private Lease current;
  private Lease retiring;
  private Instant revokeAt;

  DirectSource(String path, Reader reader, RefreshObserver observer, LeaseSettings leases) {
    this.path = path;
    this.reader = reader;
    this.observer = observer;
    this.overlap = leases.overlap();
    this.revokeReplaced = leases.revokeReplaced();
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public SecretData last() {
    return last;
  }

  @Override
  public synchronized Instant due() {
    if (current == null) {
      return null;
    }
    Stream<Instant> at =
        Stream.of(current.successorAt(overlap), current.renewTime(), current.expiresAt());
    if (retiring != null) {
      at = Stream.concat(at, Stream.of(revokeAt, retiring.expiresAt(), retiring.renewTime()));
    }
    return at.filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
  }

  /** How many times the current lease was renewed (for tests and logs). */
  synchronized int renewals() {
    return current == null ? 0 : current.renewals();
  }

  synchronized String leaseId() {
    return current == null ? null : current.id();
  }

  /** The live leases, current first, for health and metrics. */
  synchronized List<LeaseStatus> leases() {
    List<LeaseStatus> out = new ArrayList<>(2);
    if (current != null) {
      out.add(new LeaseStatus(path, current.expiresAt(), current.hardExpiry(), false));
    }
    if (retiring != null) {
      out.add(new LeaseStatus(path, retiring.expiresAt(), retiring.hardExpiry(), true));
    }
    return out;
  }

  @Override
  public synchronized SecretData refresh(Instant now) {
    retire(now);
    if (current == null || last == null || current.expired(now)) {
      return read(now);
    }
    Instant successor = current.successorAt(overlap);
    if (successor == null && current.renewDue(now)) {
      renew(current, now);
      successor = current.successorAt(overlap);
    }
    if (successor != null && !now.isBefore(successor)) {
      return replace(now);
    }
    return last;
  }

  /** Renews {@code l}; a refusal (not an outage) means it ends at its current expiry. */
  private void renew(Lease l, Instant now) {
    long ask = l.increment(overlap);
    JsonNode r;
    try {
      r = reader.put("sys/leases/renew", Map.of("lease_id", l.id(), "increment", ask));
    } catch (UnavailableException e) {
      // an outage (a dead token too): the round stops and retries; the lease is unchanged
      throw e;
    } catch (OpenBaoException e) {
      observer.leaseRenewal(false);
      l.renewalRefused();
      log.warn("{}: lease renewal refused ({}); it ends at its expiry", path, e.getMessage());
      return;
    }
    observer.leaseRenewal(true);
    Duration got = Duration.ofSeconds(r.path("lease_duration").asLong(0));
    l.renewed(ask, got, r.path("renewable").asBoolean(true), now);
    if (l.hardExpiry() != null) {
      log.info(
          "{}: lease renewed, ttl {}s; it cannot be extended further (max TTL), successor due in"
              + " {}s",
          path,
          got.getSeconds(),
          Duration.between(now, l.successorAt(overlap)).toSeconds());
    } else {
      log.info("{}: lease renewed, ttl {}s", path, got.getSeconds());
    }
  }

  /** Reads the successor; the current lease becomes the retiring one, live through the overlap. */
  private SecretData replace(Instant now) {
    Lease old = current;
    SecretData d = read(now);
    if (current == null || current == old) {
      return d;
    }
    if (retiring != null) {
      // Only when a successor had to be read early (a refused renewal during an overlap): the
      // oldest lease has had its overlap cut short. Never an outage from here, as the new lease
      // is already current.
      try {
        if (revokeReplaced) {
          revoke(retiring);
        }
      } catch (UnavailableException e) {
        log.warn("{}: could not revoke the oldest lease ({}); it expires", path, e.getMessage());
      }
    }
    retiring = old;
    revokeAt = old.revokeAt(now, overlap);
    log.info(
        "{}: read the successor lease; the replaced one is {} in {}s",
        path,
        revokeReplaced ? "revoked" : "left to expire",
        Duration.between(now, revokeReplaced ? revokeAt : old.expiresAt()).toSeconds());
    return d;
  }

  private void retire(Instant now) {
    if (retiring == null) {
      return;
    }
    if (retiring.expired(now)) {
      retiring = null;
    } else if (revokeReplaced && !now.isBefore(revokeAt)) {
      revoke(retiring);
      retiring = null;
    } else if (retiring.renewDue(now)) {
      renew(retiring, now);
    }
  }

  private void revoke(Lease l) {
    try {
      reader.put("sys/leases/revoke", Map.of("lease_id", l.id()));
      log.info("{}: revoked the replaced lease", path);
    } catch (UnavailableException e) {
      throw e;
    } catch (OpenBaoException e) {
      log.warn("{}: could not revoke the replaced lease ({}); it expires", path, e.getMessage());
    }
  }

  private SecretData read(Instant now) {
    JsonNode r;
    try {
      r = reader.get(path);
    } catch (NotFoundException e) {
      current = null;
      last = SecretData.ABSENT;
      return last;
    }
    JsonNode data = r.path("data");
    String lease = r.path("lease_id").asText("");
    long ttl = r.path("lease_duration").asLong(0);
    if (!lease.isEmpty() && ttl > 0) {
      current =
          new Lease(lease, Duration.ofSeconds(ttl), r.path("renewable").asBoolean(false), now);
    } else {
      current = null;
    }
    last = data.isObject() ? SecretData.of(data, null) : SecretData.ABSENT;
    return last;
  }
}
