package io.baoinjector.sidecar.source;

import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.Backends;
import io.baoinjector.sidecar.config.LeaseSettings;
import io.baoinjector.sidecar.openbao.Mount;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.UnavailableException;
import io.baoinjector.sidecar.snapshot.LeaseStatus;
import io.baoinjector.sidecar.source.NameTable.SourceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every distinct thing to read, each in its {@link SourceSlot}, in config order. A slot's source is
 * made once its mount is known (KV v2, or a direct read), and made again after the slot drops it.
 * Not thread-safe: the {@link Refresher} holds its lock around every call.
 */
final class SourceRegistry {
  // logs under Refresher: the name operators know
  private static final Logger log = LoggerFactory.getLogger(Refresher.class);

  private final Map<SourceKey, SourceSlot> slots = new LinkedHashMap<>();
  private final Reader reader;
  private final MountResolver mounts;
  private final RefreshObserver observer;
  private final LeaseSettings leases;
  private final Backends backends;
  private final BackendOutages down;

  SourceRegistry(
      Collection<SourceKey> keys,
      Reader reader,
      RefreshObserver observer,
      LeaseSettings leases,
      Backends backends,
      Duration interval) {
    this.backends = backends;
    this.down = new BackendOutages(interval);
    this.reader = reader;
    this.mounts = new MountResolver(reader);
    this.observer = observer;
    this.leases = leases;
    keys.forEach(k -> slots.put(k, new SourceSlot()));
  }

  /**
   * Reads the due sources in order. The first sign of an OpenBao outage ends OpenBao's reads for
   * the round and is returned; a backend that cannot be reached is that backend's outage, and its
   * other sources wait for its retry. Either way the other stores are still read.
   */
  UnavailableException readDue(Instant now, boolean full, boolean all) {
    UnavailableException openbaoDown = null;
    Set<String> failedNow = new HashSet<>();
    Set<String> answeredNow = new HashSet<>();
    for (Map.Entry<SourceKey, SourceSlot> e : slots.entrySet()) {
      SourceSlot t = e.getValue();
      String backend = e.getKey().backend();
      boolean skip =
          backend.isEmpty()
              ? openbaoDown != null
              : failedNow.contains(backend) || down.waiting(backend, now);
      if (skip || !t.isDue(now, full, all)) {
        continue;
      }
      try {
        SecretData d = sourceOf(e.getKey(), t).refresh(now);
        if (t.failing()) {
          log.info("{}: readable again", e.getKey().path());
        }
        t.succeeded(now, d);
        if (!backend.isEmpty()) {
          answeredNow.add(backend);
        }
      } catch (UnavailableException ex) {
        if (backend.isEmpty()) {
          openbaoDown = ex;
          continue;
        }
        failedNow.add(backend);
        t.failedWithStore(now, ex, down.failed(backend, ex, now));
      } catch (OpenBaoException ex) {
        if (!backend.isEmpty()) {
          answeredNow.add(backend); // it answered, with a refusal
        }
        if (t.failed(now, ex)) {
          log.warn(
              "{}: {} (keeping the last value; retrying with backoff)",
              e.getKey().path(),
              ex.getMessage());
        }
      }
      dropIfMisjudged(e.getKey(), t);
    }
    // back only if none of its secrets failed: else each round would end and restart its outage
    answeredNow.removeAll(failedNow);
    answeredNow.forEach(down::answered);
    return openbaoDown;
  }

  /** The backends that could not be reached at their last attempt. */
  Set<String> downBackends() {
    return down.down();
  }

  /** The slot's source, made first when the slot has none (which asks OpenBao for the mount). */
  private SecretSource sourceOf(SourceKey key, SourceSlot slot) {
    if (slot.source() == null) {
      create(key, slot);
    }
    return slot.source();
  }

  private void create(SourceKey key, SourceSlot slot) {
    if (key.backendSecret() != null) {
      Backend b = backends.get(key.backend());
      if (b == null) {
        throw new IllegalStateException("backend " + key.backend() + " is not open");
      }
      slot.created(new BackendSource(key.backendSecret(), b, observer), false);
      return;
    }
    Mount m = mounts.resolve(key.path());
    String path = m.kvPath(key.path(), key.apiPath());
    if (m.isKvV2()) {
      slot.created(new KvV2Source(path, m, key.version(), reader), false);
      return;
    }
    if (key.version() > 0) {
      log.warn(
          "{}: @{} pins a KV v2 version, but {} is not KV v2; ignoring the pin",
          key.path(),
          key.version(),
          m.path().isEmpty() ? "the mount" : m.path());
    }
    slot.created(new DirectSource(path, reader, observer, leases), m.guessed());
  }

  /** After a failed read: drops a source whose engine may be misjudged, and its cached mount. */
  private void dropIfMisjudged(SourceKey key, SourceSlot slot) {
    if (key.backendSecret() == null && slot.dropIfMisjudged()) {
      mounts.forget(key.path());
    }
  }

  /**
   * OpenBao went away: whatever an OpenBao source believes about the server is to be asked again (a
   * backend's sources are not OpenBao's to doubt).
   */
  void invalidateAll() {
    slots.forEach(
        (k, t) -> {
          if (k.backendSecret() == null) {
            t.invalidate();
          }
        });
  }

  /** The slot of {@code key}, or null for an unknown key. */
  SourceSlot slot(SourceKey key) {
    return slots.get(key);
  }

  /** The earliest time a slot (or a backend's retry) wants a round, if before {@code at}. */
  Instant earliestWake(Instant at) {
    at = down.earliestRetry(at);
    for (SourceSlot t : slots.values()) {
      Instant wake = t.wakeAt();
      if (wake != null && wake.isBefore(at)) {
        at = wake;
      }
    }
    return at;
  }

  List<LeaseStatus> leases() {
    return slots.values().stream()
        .flatMap(t -> t.source() instanceof DirectSource d ? d.leases().stream() : Stream.empty())
        .toList();
  }

  Map<String, String> deniedPaths() {
    Map<String, String> m = new LinkedHashMap<>();
    slots.forEach(
        (k, t) -> {
          if (t.deniedMessage() != null) {
            m.put(k.path(), t.deniedMessage());
          }
        });
    return m;
  }

  List<String> metadataDeniedPaths() {
    return slots.entrySet().stream()
        .filter(e -> e.getValue().source() instanceof KvV2Source kv && kv.metadataDenied())
        .map(e -> e.getKey().path())
        .toList();
  }

  /** The source reading {@code path} (current version), or null. */
  SecretSource source(String path) {
    SourceSlot t = slots.get(new SourceKey(path, 0));
    return t == null ? null : t.source();
  }
}
