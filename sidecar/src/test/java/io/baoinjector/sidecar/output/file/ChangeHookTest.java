package io.baoinjector.sidecar.output.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.output.OnChange;
import io.baoinjector.sidecar.util.Jitter;
import io.baoinjector.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A file's {@code on-change} with {@code on-change-jitter}: one drawn delay per change. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ChangeHookTest {
  @TempDir Path dir;

  final List<Duration> waited = new CopyOnWriteArrayList<>();
  final List<Long> bounds = new CopyOnWriteArrayList<>();
  final CountDownLatch waiting = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);

  ChangeHook hook(boolean runAfterWait) {
    Path log = dir.resolve("runs");
    return new ChangeHook(
        "outputs.files[0]",
        OnChange.command(List.of("sh", "-c", "echo run >> '" + log + "'"), Duration.ofSeconds(30)),
        new Jitter(
            Duration.ofSeconds(30),
            b -> {
              bounds.add(b);
              return 7_000;
            }),
        d -> {
          waited.add(d);
          waiting.countDown();
          release.await();
          return runAfterWait;
        });
  }

  String runs() throws Exception {
    Path p = dir.resolve("runs");
    return Files.exists(p) ? Files.readString(p) : "";
  }

  void awaitRuns(String expected) throws Exception {
    // polls the file the command appends to
    Await.until(
        Duration.ofSeconds(60),
        () -> "runs never became [" + expected + "]",
        () -> runs().equals(expected));
  }

  @Test
  void changesDuringTheDelayJoinOneRunAfterTheDrawnDelay() throws Exception {
    ChangeHook h = hook(true);
    h.trigger();
    assertTrue(waiting.await(60, TimeUnit.SECONDS));
    h.trigger();
    h.trigger();
    assertEquals("", runs(), "nothing runs before the delay is over");
    release.countDown();
    awaitRuns("run\n");
    assertEquals(List.of(30_000L), bounds, "one draw, in [0, 30s]");
    assertEquals(List.of(Duration.ofMillis(7_000)), waited);
    h.trigger(); // a change after the run: a new delay, a new run
    awaitRuns("run\nrun\n");
    assertEquals(2, waited.size());
    h.stop();
  }

  @Test
  void aStopDuringTheDelayRunsNothing() throws Exception {
    ChangeHook real =
        new ChangeHook(
            "outputs.files[0]",
            OnChange.command(
                List.of("sh", "-c", "echo run >> '" + dir.resolve("runs") + "'"),
                Duration.ofSeconds(30)),
            new Jitter(Duration.ofHours(1), b -> b));
    real.trigger();
    real.stop();
    assertTrue(real.awaitStopped(Duration.ofSeconds(60)), "the hour-long wait ended at the stop");
    ChangeHook h = hook(false);
    h.trigger();
    assertTrue(waiting.await(60, TimeUnit.SECONDS));
    release.countDown();
    h.stop();
    assertTrue(h.awaitStopped(Duration.ofSeconds(60)));
    assertEquals("", runs());
  }
}
