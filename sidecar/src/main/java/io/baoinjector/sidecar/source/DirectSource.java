package io.baoinjector.sidecar.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.openbao.NotFoundException;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A path read as it is: KV v1, or any other engine ({@code database/creds/app}). An answer without
 * a lease is re-read every round and compared. An answer with a lease is read once per lease: the
 * lease is renewed at about 2/3 of its TTL, and the secret is read again (a new lease) before it
 * expires when the lease is not renewable, its TTL stops growing (max TTL), or renewal fails.
 */
final class DirectSource implements SecretSource {
  private static final Logger log = LoggerFactory.getLogger(DirectSource.class);

  private final String path;
  private final Reader reader;
  private final RefreshObserver observer;
  private volatile SecretData last;
  private String leaseId;
  private Duration leaseTtl;
  private boolean renewable;
  private Instant expiresAt;
  private Instant dueAt;
  private boolean rereadNext;
  private int renewals;

  DirectSource(String path, Reader reader, RefreshObserver observer) {
    this.path = path;
    this.reader = reader;
    this.observer = observer;
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
    return leaseId == null ? null : dueAt;
  }

  /** How many times the current lease line was renewed (for tests and logs). */
  synchronized int renewals() {
    return renewals;
  }

  synchronized String leaseId() {
    return leaseId;
  }

  @Override
  public synchronized SecretData refresh(Instant now) {
    if (leaseId != null && last != null) {
      if (now.isBefore(dueAt)) {
        return last;
      }
      if (!rereadNext && renewable && now.isBefore(expiresAt)) {
        try {
          renew(now);
          observer.leaseRenewal(true);
          return last;
        } catch (OpenBaoException e) {
          observer.leaseRenewal(false);
          log.warn("{}: lease renewal failed ({}); reading a new lease", path, e.getMessage());
        }
      }
    }
    return read(now);
  }

  private void renew(Instant now) {
    JsonNode r =
        reader.put(
            "sys/leases/renew", Map.of("lease_id", leaseId, "increment", leaseTtl.getSeconds()));
    Duration got = Duration.ofSeconds(r.path("lease_duration").asLong(0));
    renewals++;
    expiresAt = now.plus(got);
    // The TTL stopped growing (max TTL ahead): read a fresh lease before this one runs out.
    rereadNext = got.compareTo(leaseTtl.dividedBy(2)) < 0 || !r.path("renewable").asBoolean(true);
    dueAt = now.plus(got.multipliedBy(2).dividedBy(3));
    log.info("{}: lease renewed, ttl {}s", path, got.getSeconds());
  }

  private SecretData read(Instant now) {
    JsonNode r;
    try {
      r = reader.get(path);
    } catch (NotFoundException e) {
      leaseId = null;
      last = SecretData.ABSENT;
      return last;
    }
    JsonNode data = r.path("data");
    String lease = r.path("lease_id").asText("");
    long ttl = r.path("lease_duration").asLong(0);
    if (!lease.isEmpty() && ttl > 0) {
      leaseId = lease;
      leaseTtl = Duration.ofSeconds(ttl);
      renewable = r.path("renewable").asBoolean(false);
      expiresAt = now.plusSeconds(ttl);
      dueAt = now.plus(leaseTtl.multipliedBy(2).dividedBy(3));
      rereadNext = !renewable;
      renewals = 0;
    } else {
      leaseId = null;
    }
    last = data.isObject() ? SecretData.of(data, null) : SecretData.ABSENT;
    return last;
  }
}
