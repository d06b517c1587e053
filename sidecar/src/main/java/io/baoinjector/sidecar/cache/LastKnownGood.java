package io.baoinjector.sidecar.cache;

import io.baoinjector.sidecar.config.CacheSettings;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.output.file.Destination;
import io.baoinjector.sidecar.snapshot.LeaseStatus;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.sidecar.snapshot.SnapshotListener;
import io.baoinjector.sidecar.source.CachedValues;
import io.baoinjector.sidecar.source.CachedValues.Cached;
import io.baoinjector.sidecar.util.Daemons;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restart-proof cache ({@code cache:}): the last published values, encrypted ({@link
 * CacheFormat}), so a sidecar restarted while OpenBao is down can serve them, stale, instead of
 * blocking the application. Written atomically after each published revision whose values (or lease
 * expiries) changed, on its own thread; read once at startup.
 *
 * <p>A file that does not decrypt, was written for another config, or holds an entry past its lease
 * is refused with one warning, and the sidecar starts as without a cache: never served.
 */
public final class LastKnownGood implements SnapshotListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LastKnownGood.class);
  private static final int MAX_FILE = 64 << 20;

  private final Path path;
  private final CacheFormat format;
  private final Destination destination;
  private final SnapshotHub hub;
  private final Clock clock;
  private final ExecutorService writer;
  private Map<String, List<Object>> lastWritten;
  private volatile String refusal;

  private LastKnownGood(CacheFormat format, Destination destination, SnapshotHub hub, Clock clock) {
    this.path = destination.path();
    this.format = format;
    this.destination = destination;
    this.hub = hub;
    this.clock = clock;
    this.writer = Executors.newSingleThreadExecutor(Daemons.named("bao-injector-cache"));
  }

  /**
   * Checks the cache's directory (tmpfs unless {@code cache.allow-disk}), reads the key and
   * test-writes beside the cache; one line naming {@code cache.path} or {@code cache.key-file} and
   * the fix when that fails. Where they are was checked with the config.
   */
  public static LastKnownGood open(
      CacheSettings settings, SidecarConfig config, SnapshotHub hub, Clock clock)
      throws IOException {
    Objects.requireNonNull(settings, "settings == null");
    Destination d =
        Destination.check("cache", settings.path(), 0600, null, null, settings.allowDisk());
    CacheFormat f = new CacheFormat(CacheKey.read(settings.keyFile()), ConfigIdentity.of(config));
    d.probe();
    return new LastKnownGood(f, d, hub, clock);
  }

  /** The cached values to offer, or empty (no cache yet, or refused with one warning). */
  public Optional<CachedValues> load() {
    CachedValues v;
    try {
      v = format.open(read(path), path.toString());
    } catch (NoSuchFileException e) {
      log.info("cache: no cache at {} yet; starting without it", path);
      return Optional.empty();
    } catch (IOException e) {
      return refuse("cannot be read (" + e.getMessage() + ")");
    } catch (CacheFormat.Refused e) {
      return refuse(e.getMessage());
    }
    int expired = v.size() - v.liveAt(clock.instant()).size();
    if (expired > 0) {
      return refuse("holds " + expired + " name(s) past their lease expiry");
    }
    synchronized (this) {
      lastWritten = signature(v);
    }
    log.info(
        "cache: {} holds {} names (written {}); served, stale, only if OpenBao cannot be reached",
        path,
        v.size(),
        v.writtenAt());
    return Optional.of(v);
  }

  private Optional<CachedValues> refuse(String why) {
    refusal = why;
    log.warn("cache: {} {}; not serving it, starting without it", path, why);
    return Optional.empty();
  }

  /** Why the last {@link #load()} refused the file, or null. */
  String refusal() {
    return refusal;
  }

  /** Refuses a symlink, anything but a regular file, and an oversized file. */
  private static byte[] read(Path p) throws IOException {
    BasicFileAttributes a =
        Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!a.isRegularFile()) {
      throw new IOException("not a regular file");
    }
    if (a.size() > MAX_FILE) {
      throw new IOException("larger than " + (MAX_FILE >> 20) + " MiB");
    }
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      return in.readNBytes(MAX_FILE); // one grown since is cut short: it fails its integrity check
    }
  }

  /**
   * Writes a ready, fresh snapshot when its values or lease expiries differ from the last write.
   */
  @Override
  public synchronized void onSnapshot(Snapshot previous, Snapshot next) {
    if (!next.ready() || next.stale()) {
      return;
    }
    Map<String, Instant> expiries = leaseExpiries(hub.leases());
    CachedValues v =
        new CachedValues(
            cached(next.values(), expiries),
            cached(next.properties(), expiries),
            clock.instant(),
            path.toString());
    Map<String, List<Object>> sig = signature(v);
    if (sig.equals(lastWritten)) {
      return;
    }
    lastWritten = sig;
    try {
      writer.execute(() -> write(v, next.revision()));
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void write(CachedValues v, long revision) {
    try {
      byte[] sealed = format.seal(v);
      destination.replace(sealed);
      log.info("cache: wrote {} names to {} (revision {})", v.size(), path, revision);
    } catch (IOException e) {
      log.error("{}", e.getMessage());
    }
  }

  /** Waits for a write in progress, so a clean stop leaves the newest values behind. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The current expiry of each leased path's served lease (a replaced one's is not served). */
  private static Map<String, Instant> leaseExpiries(List<LeaseStatus> leases) {
    Map<String, Instant> m = new HashMap<>();
    for (LeaseStatus l : leases) {
      if (!l.replaced()) {
        m.merge(l.path(), l.expiresAt(), (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    for (LeaseStatus l : leases) {
      m.putIfAbsent(l.path(), l.expiresAt());
    }
    return m;
  }

  /**
   * Each entry with the expiry of the lease behind it. Matched on the reference's text, not parsed:
   * an {@code env-from} key may hold a {@code #} or {@code @}, which the grammar would refuse.
   */
  private static Map<String, Cached> cached(
      Map<String, Snapshot.Entry> entries, Map<String, Instant> expiries) {
    Map<String, Cached> m = new LinkedHashMap<>();
    entries.forEach(
        (name, e) -> {
          Instant expiry = null;
          for (Map.Entry<String, Instant> l : expiries.entrySet()) {
            if (e.source().startsWith(l.getKey() + "#")) {
              expiry = l.getValue();
            }
          }
          m.put(name, new Cached(e, expiry));
        });
    return m;
  }

  /** What decides a rewrite: names, values, references, versions, lease expiries. */
  private static Map<String, List<Object>> signature(CachedValues v) {
    Map<String, List<Object>> m = new HashMap<>();
    v.values().forEach((k, c) -> m.put("v:" + k, row(c)));
    v.properties().forEach((k, c) -> m.put("p:" + k, row(c)));
    return m;
  }

  private static List<Object> row(Cached c) {
    return Arrays.asList(
        c.entry().value(), c.entry().source(), c.entry().version(), c.leaseExpiry());
  }
}
