package io.baoinjector.sidecar.snapshot;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link Snapshot} and hands new ones to listeners (long-polls are one). The only
 * writer is the refresher; readers never block it. The revision grows only when content changes; a
 * change of status alone (stale, unresolved) publishes a new snapshot with the same revision.
 *
 * <p>Staleness is the data's age, worked out whenever a snapshot is handed out ({@link #current()}:
 * health, env, metrics), not only when a round ends: a round blocked on a hung OpenBao publishes
 * nothing, and its values still go stale once no round has reached OpenBao for longer than the
 * stale window.
 */
public final class SnapshotHub {
  private static final Logger log = LoggerFactory.getLogger(SnapshotHub.class);

  private final String instanceId;
  private final Clock clock;
  private final List<SnapshotListener> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private volatile Snapshot current;
  private volatile Duration staleAfter;
  private volatile Instant lastGoodAt;
  private volatile Aged aged;
  private volatile List<LeaseStatus> leases = List.of();
  private volatile Map<String, BackendStatus> backends = Map.of();

  /** {@code stale} is {@code from} marked stale, kept so an aged snapshot is copied once. */
  private record Aged(Snapshot from, Snapshot stale) {}

  public SnapshotHub() {
    this(randomId(), Clock.systemUTC());
  }

  public SnapshotHub(String instanceId, Clock clock) {
    this.instanceId = Objects.requireNonNull(instanceId, "instanceId == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.current =
        new Snapshot(instanceId, 0, Map.of(), Map.of(), Set.of(), false, false, clock.instant());
  }

  private static String randomId() {
    byte[] b = new byte[8];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  public String instanceId() {
    return instanceId;
  }

  /**
   * How long values stay fresh after the last round that reached OpenBao: the refresh interval plus
   * a budget for the round itself, the larger of 5 s and half the interval (30 s: 45 s).
   */
  public static Duration staleWindow(Duration interval) {
    Duration half = interval.dividedBy(2);
    return interval.plus(half.compareTo(Duration.ofSeconds(5)) > 0 ? half : Duration.ofSeconds(5));
  }

  /** Each configured backend's state, as the last refresh round left it (empty: none). */
  public Map<String, BackendStatus> backends() {
    return backends;
  }

  /** Called by the refresher after each round. */
  public void backends(Map<String, BackendStatus> now) {
    this.backends = Collections.unmodifiableMap(new LinkedHashMap<>(now));
  }

  /** The live leases of dynamic secrets, as the last refresh round left them. */
  public List<LeaseStatus> leases() {
    return leases;
  }

  /** Called by the refresher after each round. */
  public void leases(List<LeaseStatus> now) {
    this.leases = List.copyOf(now);
  }

  /** Values not confirmed with OpenBao for longer than {@code window} are stale (null: never). */
  public void staleAfter(Duration window) {
    this.staleAfter = window;
  }

  /**
   * The current snapshot; revision 0 and not ready until the first publish. Stale when the last
   * round said so or when no round has reached OpenBao within the stale window.
   */
  public Snapshot current() {
    return withAge(current);
  }

  private Snapshot withAge(Snapshot s) {
    Duration window = staleAfter;
    Instant good = lastGoodAt;
    if (s.stale()
        || window == null
        || good == null
        || !clock.instant().isAfter(good.plus(window))) {
      return s;
    }
    Aged a = aged;
    if (a == null || a.from() != s) {
      a = new Aged(s, s.asStale());
      aged = a;
    }
    return a.stale();
  }

  public void addListener(SnapshotListener l) {
    listeners.add(Objects.requireNonNull(l, "listener == null"));
  }

  /**
   * Publishes the outcome of a refresh round. Returns the snapshot that became current: a new
   * revision if any value or property changed, else the same revision with the new status.
   */
  public Snapshot publish(
      Map<String, Snapshot.Entry> values,
      Map<String, Snapshot.Entry> properties,
      Set<String> unresolved,
      boolean stale,
      boolean ready) {
    Snapshot prev;
    Snapshot next;
    synchronized (lock) {
      prev = current;
      boolean changed =
          !Snapshot.sameValues(values, prev.values())
              || !Snapshot.sameValues(properties, prev.properties());
      next =
          new Snapshot(
              instanceId,
              changed ? prev.revision() + 1 : prev.revision(),
              values,
              properties,
              unresolved,
              stale,
              ready,
              clock.instant());
      current = next;
      if (!stale) {
        lastGoodAt = next.updatedAt();
      }
    }
    for (SnapshotListener l : listeners) {
      try {
        l.onSnapshot(prev, next);
      } catch (RuntimeException e) {
        log.warn("snapshot listener {} failed: {}", l.getClass().getSimpleName(), e.toString());
      }
    }
    return next;
  }
}
