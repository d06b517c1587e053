package io.baoinjector.sidecar.output.file;

import io.baoinjector.sidecar.output.OnChange;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a file's {@code on-change} command ({@link OnChange.Action#COMMAND}) after the file changed:
 * on its own thread (so a slow hook never delays a render or another output), one run at a time,
 * killed after its timeout. Its output goes to the sidecar's stdout/stderr; a failure is logged,
 * never fatal.
 */
final class ChangeHook {
  private static final Logger log = LoggerFactory.getLogger(ChangeHook.class);

  private final String key;
  private final List<String> argv;
  private final Duration timeout;
  private final ExecutorService thread;

  ChangeHook(String key, OnChange onChange) {
    this.key = key;
    this.argv = onChange.command();
    this.timeout = onChange.timeout();
    this.thread =
        this.argv.isEmpty()
            ? null
            : Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "bao-injector-on-change");
                  t.setDaemon(true);
                  return t;
                });
  }

  void trigger() {
    if (thread == null) {
      return;
    }
    try {
      thread.execute(this::runOnce);
    } catch (RejectedExecutionException e) {
      // stopped
    }
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
    if (thread != null) {
      thread.shutdown();
    }
  }
}
