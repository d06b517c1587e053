package io.baoinjector.sidecar.snapshot;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link Snapshot} and hands new ones to listeners and long-pollers. The only
 * writer is the refresher; readers never block it. The revision grows only when content changes; a
 * change of status alone (stale, unresolved) publishes a new snapshot with the same revision.
 */
public final class SnapshotHub {
  private static final Logger log = LoggerFactory.getLogger(SnapshotHub.class);

  private final String instanceId;
  private final Clock clock;
  private final List<SnapshotListener> listeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private volatile Snapshot current;

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

  /** The current snapshot; revision 0 and not ready until the first publish. */
  public Snapshot current() {
    return current;
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
      Snapshot candidate =
          new Snapshot(
              instanceId,
              prev.revision(),
              values,
              properties,
              unresolved,
              stale,
              ready,
              clock.instant());
      long rev = candidate.contentDiffers(prev) ? prev.revision() + 1 : prev.revision();
      next =
          rev == prev.revision()
              ? candidate
              : new Snapshot(
                  instanceId,
                  rev,
                  values,
                  properties,
                  unresolved,
                  stale,
                  ready,
                  candidate.updatedAt());
      current = next;
      lock.notifyAll();
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

  /**
   * Long-poll: returns as soon as the revision is above {@code afterRevision}, or after {@code
   * wait} with the current snapshot. Returns at once when {@code clientInstance} is not this
   * process's id (a restarted sidecar) or {@code afterRevision} is above the current revision.
   */
  public Snapshot awaitAfter(long afterRevision, String clientInstance, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (lock) {
      while (true) {
        Snapshot s = current;
        if (clientInstance != null && !clientInstance.equals(instanceId)) {
          return s;
        }
        if (s.revision() != afterRevision) {
          return s;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return s;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
    }
  }
}
