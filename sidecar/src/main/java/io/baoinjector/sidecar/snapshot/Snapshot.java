package io.baoinjector.sidecar.snapshot;

import io.baoinjector.sidecar.SecretValue;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One immutable view of every mapped name, handed to every output. {@code revision} grows by one
 * whenever any value or property changes (a round that changes N secrets is one revision); {@code
 * instanceId} is random per sidecar process, so a client that sees a new instance knows the sidecar
 * restarted and takes the snapshot whole.
 *
 * @param values environment names to their current entries (what {@code secrets:} and {@code
 *     env-from} resolve to)
 * @param properties Java system property names to entries (the {@code properties:} section)
 * @param unresolved names (of either map) that have no value yet or failed at the last attempt; a
 *     failed name keeps its last value in {@code values}
 * @param stale true while these are last-known-good values: OpenBao is unreachable or sealed, or
 *     (as {@link SnapshotHub#current()} works it out when asked) no round has reached OpenBao for
 *     longer than {@link SnapshotHub#staleWindow(java.time.Duration) the stale window}
 * @param ready true once every name has resolved at least once
 */
public record Snapshot(
    String instanceId,
    long revision,
    Map<String, Entry> values,
    Map<String, Entry> properties,
    Set<String> unresolved,
    boolean stale,
    boolean ready,
    Instant updatedAt) {

  public Snapshot {
    Objects.requireNonNull(instanceId, "instanceId == null");
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    unresolved = Collections.unmodifiableSet(new LinkedHashSet<>(unresolved));
    Objects.requireNonNull(updatedAt, "updatedAt == null");
  }

  /**
   * One name's value and where it came from.
   *
   * @param version the KV v2 version, or null (KV v1, leased secrets)
   * @param source the reference it was read from, as written ({@code secret/app/db#password})
   * @param fetchedAt when this value was last confirmed current with OpenBao
   */
  public record Entry(SecretValue value, Integer version, String source, Instant fetchedAt) {
    public Entry {
      Objects.requireNonNull(value, "value == null");
      Objects.requireNonNull(source, "source == null");
      Objects.requireNonNull(fetchedAt, "fetchedAt == null");
    }
  }

  /** The entry {@code name} maps to: its value, else its property; null when it is neither. */
  public Entry entry(String name) {
    Entry e = values.get(name);
    return e != null ? e : properties.get(name);
  }

  /** This snapshot marked stale (same revision and content). */
  Snapshot asStale() {
    return stale
        ? this
        : new Snapshot(
            instanceId, revision, values, properties, unresolved, true, ready, updatedAt);
  }

  /** The plain values by name, for the one place that hands them to a consumer. */
  public Map<String, String> revealValues() {
    return reveal(values);
  }

  /** The plain property values by name. */
  public Map<String, String> revealProperties() {
    return reveal(properties);
  }

  private static Map<String, String> reveal(Map<String, Entry> entries) {
    Map<String, String> m = new LinkedHashMap<>();
    entries.forEach((k, v) -> m.put(k, v.value().reveal()));
    return m;
  }

  /** Same names with the same values; versions and fetch times do not count. */
  static boolean sameValues(Map<String, Entry> a, Map<String, Entry> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, Entry> e : a.entrySet()) {
      if (!e.getValue().value().equals(b.get(e.getKey()).value())) {
        return false;
      }
    }
    return true;
  }
}
