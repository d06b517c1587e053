package io.baoinjector.sidecar.output.file;

import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.metrics.Metrics;
import io.baoinjector.sidecar.output.Modes;
import io.baoinjector.sidecar.output.OnChange;
import io.baoinjector.sidecar.output.Output;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotListener;
import io.baoinjector.sidecar.util.Daemons;
import io.baoinjector.sidecar.util.Jitter;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rendered file ({@code outputs.files[i]}). Register it with the hub; each snapshot is rendered
 * on this output's own thread (never the publisher's, never another output's), and written only
 * when the bytes differ from the last write, i.e. when a value it uses changed. After a changed
 * write the {@code on-change} command runs on a separate thread, with its timeout.
 *
 * <p>{@link #start()} checks the destination and does a test write, so a bad path, a disk
 * destination without {@code allow-disk}, or a chown the process may not do fails at startup.
 */
public final class FileOutput implements Output, SnapshotListener {
  private static final Logger log = LoggerFactory.getLogger(FileOutput.class);
  static final Duration DEFAULT_ON_CHANGE_TIMEOUT = Duration.ofSeconds(30);

  private final String key;
  private final OutputSettings.FileSpec spec;
  private final Metrics metrics;
  private final ChangeHook onChange;
  private Destination destination;
  private Renderer renderer;
  private ExecutorService renderThread;
  private byte[] lastDigest;
  private volatile boolean rendered;

  /**
   * @param index the entry's position in {@code outputs.files}, for error messages ({@code
   *     outputs.files[0].path: ...})
   */
  public FileOutput(int index, OutputSettings.FileSpec spec, Metrics metrics) {
    this.key = "outputs.files[" + index + "]";
    this.spec = Objects.requireNonNull(spec, "spec == null");
    this.metrics = Objects.requireNonNull(metrics, "metrics == null");
    this.onChange =
        new ChangeHook(
            key,
            OnChange.command(
                spec.onChange(),
                spec.onChangeTimeout() == null
                    ? DEFAULT_ON_CHANGE_TIMEOUT
                    : spec.onChangeTimeout()),
            Jitter.upTo(spec.onChangeJitter()));
  }

  @Override
  public synchronized void start() throws IOException {
    if (spec.path() == null) {
      throw new IOException(key + ".path: missing");
    }
    destination =
        Destination.check(key, spec.path(), spec.mode(), spec.uid(), spec.gid(), spec.allowDisk());
    String shared = Destination.sharedDirectoryWarning(key, destination.path().getParent());
    if (shared != null) {
      log.warn("{}", shared);
    }
    renderer = Renderers.of(key, spec);
    destination.probe();
    renderThread =
        Executors.newSingleThreadExecutor(
            Daemons.named("bao-injector-file-" + spec.path().getFileName()));
  }

  /** Hands the snapshot to this output's thread; renders once the snapshot is ready. */
  @Override
  public void onSnapshot(Snapshot previous, Snapshot next) {
    if (!next.ready() || renderThread == null) {
      return;
    }
    try {
      renderThread.execute(
          () -> {
            try {
              render(next);
            } catch (IOException e) {
              log.error("{}", e.getMessage());
            }
          });
    } catch (RejectedExecutionException e) {
      // stopped
    }
  }

  /** The destination, for tests (its race hook). */
  Destination destination() {
    return destination;
  }

  /**
   * Renders {@code snapshot} now on the calling thread (the {@code render} command, tests). Writes
   * only if the bytes changed; returns true when it wrote.
   *
   * @throws IOException one line naming the config key: a missing name, an unwritable destination
   */
  public synchronized boolean render(Snapshot snapshot) throws IOException {
    if (destination == null) {
      throw new IllegalStateException("start() first");
    }
    byte[] bytes;
    try {
      bytes = renderer.render(snapshot);
    } catch (IOException e) {
      metrics.fileRender(spec.path().toString(), false);
      throw e;
    }
    byte[] digest = sha256(bytes);
    if (lastDigest != null && Arrays.equals(digest, lastDigest)) {
      return false;
    }
    try {
      destination.replace(bytes);
    } catch (IOException e) {
      metrics.fileRender(spec.path().toString(), false);
      throw e;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
    boolean first = lastDigest == null;
    lastDigest = digest;
    rendered = true;
    metrics.fileRender(spec.path().toString(), true);
    log.info("{}: wrote {} (revision {})", key, destination.path(), snapshot.revision());
    if (!first) {
      onChange.trigger();
    }
    return true;
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized void stop() {
    if (renderThread != null) {
      renderThread.shutdown();
      try {
        renderThread.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    onChange.stop();
  }

  /** True once the file has been written at least once (part of the sidecar's readiness). */
  @Override
  public boolean ready() {
    return rendered;
  }

  @Override
  public String describe() {
    return "file %s (%s, %s)"
        .formatted(
            spec.path(),
            spec.format().name().toLowerCase(java.util.Locale.ROOT),
            Modes.octal(spec.mode()));
  }
}
