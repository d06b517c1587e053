package io.baoinjector.sidecar.output.file;

import io.baoinjector.sidecar.output.OnChange;
import io.baoinjector.sidecar.util.Daemons;
import io.baoinjector.sidecar.util.Jitter;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a file's {@code on-change} command ({@link OnChange.Action#COMMAND}) after the file changed:
 * on its own thread (so a slow hook never delays a render or another output), one run at a time,
 * killed after its timeout. Its output goes to the sidecar's stdout/stderr; a failure is logged,
 * never fatal.
 *
 * <p>With {@code on-change-jitter}, a run first waits a random delay; changes during that wait join
 * the run (the command sees the file as it is by then), changes during the run start another.
 */
final class ChangeHook {
  private static final Logger log = LoggerFactory.getLogger(ChangeHook.class);

  private final String key;
  private final List<String> argv;
  private final Duration timeout;
  private final ExecutorService thread;
  private final Jitter jitter;
  private final Jitter.Delay delay;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  ChangeHook(String key, OnChange onChange, Jitter jitter) {
    this(key, onChange, jitter, null);
  }

  /** {@code delay} null: the clock, cut short by {@link #stop()}. */
  ChangeHook(String key, OnChange onChange, Jitter jitter, Jitter.Delay delay) {
    this.key = key;
    this.argv = onChange.command();
    this.timeout = onChange.timeout();
    this.jitter = Objects.requireNonNull(jitter, "jitter == null");
    this.delay = delay != null ? delay : d -> !stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
    this.thread =
        this.argv.isEmpty()
            ? null
            : Executors.newSingleThreadExecutor(Daemons.named("bao-injector-on-change"));
  }

  void trigger() {
    if (thread == null) {
      return;
    }
    if (jitter.isNone()) {
      execute(this::runOnce);
    } else if (pending.compareAndSet(false, true)) {
      execute(this::runDelayed);
    }
  }

  private void execute(Runnable r) {
    try {
      thread.execute(r);
    } catch (RejectedExecutionException e) {
      // stopped
    }
  }

  private void runDelayed() {
    Duration d = jitter.next();
    log.info("{}.on-change: running {} in {} (on-change-jitter)", key, argv.get(0), d);
    try {
      if (!delay.await(d)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    pending.set(false);
    runOnce();
  }

  private void runOnce() {
    try {
      Process p = new ProcessBuilder(argv).inheritIO().start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        log.warn("{}.on-change: {} still running after {}; killed", key, argv.get(0), timeout);
        return;
      }
      if (p.exitValue() != 0) {
        log.warn("{}.on-change: {} exited with {}", key, argv.get(0), p.exitValue());
      }
    } catch (IOException e) {
      log.warn("{}.on-change: cannot run {}: {}", key, argv.get(0), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void stop() {
    stopped.countDown();
    if (thread != null) {
      thread.shutdown();
    }
  }

  /** After {@link #stop()}: waits for a run or delay in progress to end (tests). */
  boolean awaitStopped(Duration max) throws InterruptedException {
    return thread == null || thread.awaitTermination(max.toMillis(), TimeUnit.MILLISECONDS);
  }
}
