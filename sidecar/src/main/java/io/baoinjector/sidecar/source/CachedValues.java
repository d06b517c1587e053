package io.baoinjector.sidecar.source;

import io.baoinjector.sidecar.snapshot.Snapshot;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Last-known-good values from an earlier process (the {@code cache:}), served stale until a round
 * reaches OpenBao. Leased entries carry their lease's expiry: past it the credential is dead, so
 * the entry is never served.
 *
 * @param values environment names to entries, as the last published snapshot had them
 * @param properties Java system property names to entries
 * @param writtenAt when the cache was written
 * @param origin where they came from, for the log line (the cache file)
 */
public record CachedValues(
    Map<String, Cached> values, Map<String, Cached> properties, Instant writtenAt, String origin) {

  public CachedValues {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    Objects.requireNonNull(writtenAt, "writtenAt == null");
  }

  /**
   * One cached entry.
   *
   * @param leaseExpiry when the lease behind a leased value expires, or null (KV)
   */
  public record Cached(Snapshot.Entry entry, Instant leaseExpiry) {
    public Cached {
      Objects.requireNonNull(entry, "entry == null");
    }

    boolean liveAt(Instant now) {
      return leaseExpiry == null || now.isBefore(leaseExpiry);
    }
  }

  /** How many names (and properties) it holds. */
  public int size() {
    return values.size() + properties.size();
  }

  /** This set without the entries whose lease has expired at {@code now}. */
  public CachedValues liveAt(Instant now) {
    return new CachedValues(live(values, now), live(properties, now), writtenAt, origin);
  }

  private static Map<String, Cached> live(Map<String, Cached> m, Instant now) {
    Map<String, Cached> out = new LinkedHashMap<>(m);
    out.values().removeIf(c -> !c.liveAt(now));
    return out;
  }

  /** The earliest lease expiry of any entry, or null when none is leased. */
  Instant earliestExpiry() {
    return Stream.concat(values.values().stream(), properties.values().stream())
        .map(Cached::leaseExpiry)
        .filter(Objects::nonNull)
        .min(Instant::compareTo)
        .orElse(null);
  }

  static Map<String, Snapshot.Entry> entries(Map<String, Cached> m) {
    Map<String, Snapshot.Entry> out = new LinkedHashMap<>();
    m.forEach((k, c) -> out.put(k, c.entry()));
    return out;
  }
}
