package io.baoinjector.sidecar.output.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.output.OnChange;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.sidecar.util.Jitter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code exec --on-change restart --jitter}: the delay is drawn once per change and waited out. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ExecJitterTest {
  @TempDir Path dir;
  SnapshotHub hub = new SnapshotHub("i", java.time.Clock.systemUTC());

  /** The drawn bound, and the delays the runner waited (each released by the test). */
  final AtomicLong bound = new AtomicLong(-1);

  final List<Duration> waited = new CopyOnWriteArrayList<>();
  final CountDownLatch waiting = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);

  Snapshot publish(String v) {
    return hub.publish(ExecRunnerTest.entries("V", v), Map.of(), Set.of(), false, true);
  }

  ExecRunner runner(boolean restartAfterWait) {
    return runner(
        new Jitter(
            Duration.ofSeconds(30),
            b -> {
              bound.set(b);
              return 12_345;
            }),
        d -> {
          waited.add(d);
          waiting.countDown();
          release.await();
          return restartAfterWait;
        });
  }

  /** {@code delay} null: the runner's own wait. */
  ExecRunner runner(Jitter jitter, Jitter.Delay delay) {
    return new ExecRunner(
        List.of("sh", "-c", "echo \"$V\"; exec sleep 600"),
        Set.of(),
        OnChange.RESTART,
        Duration.ofSeconds(30),
        ExecRunnerTest.PATH,
        ExecRunnerTest.files(dir),
        false,
        jitter,
        delay);
  }

  String out() throws Exception {
    return ExecRunnerTest.read(dir.resolve("out"));
  }

  void awaitOut(String expected) throws Exception {
    ExecRunnerTest.awaitContent(dir.resolve("out"), expected);
  }

  @Test
  void oneDrawnDelayPerChangeAndChangesDuringItJoinTheSameRestart() throws Exception {
    ExecRunner r = runner(true);
    hub.addListener(r);
    Snapshot first = publish("one");
    CompletableFuture<Integer> code = ExecRunnerTest.runAsync(r, first);
    awaitOut("one\n");
    publish("two");
    assertTrue(waiting.await(60, TimeUnit.SECONDS));
    publish("three"); // during the wait
    assertEquals(1, r.starts(), "nothing restarts before the delay is over");
    release.countDown();
    awaitOut("one\nthree\n");
    assertEquals(30_000, bound.get(), "drawn in [0, 30s]");
    assertEquals(List.of(Duration.ofMillis(12_345)), waited, "the drawn delay, waited once");
    assertEquals(2, r.starts(), "one restart, with the newest values");
    r.forward("TERM");
    assertEquals(143, code.get(60, TimeUnit.SECONDS));
  }

  @Test
  void aStopDuringTheDelayCancelsTheRestart() throws Exception {
    ExecRunner r = runner(false); // the wait reports the runner stopped
    hub.addListener(r);
    CompletableFuture<Integer> code = ExecRunnerTest.runAsync(r, publish("one"));
    awaitOut("one\n");
    publish("two");
    assertTrue(waiting.await(60, TimeUnit.SECONDS));
    release.countDown();
    r.forward("TERM");
    assertEquals(143, code.get(60, TimeUnit.SECONDS));
    assertEquals(1, r.starts());
    assertEquals("one\n", out());
  }

  @Test
  void theRealWaitEndsAtAStop() throws Exception {
    // the longest possible wait
    ExecRunner r = runner(new Jitter(Duration.ofHours(1), b -> b), null);
    hub.addListener(r);
    CompletableFuture<Integer> code = ExecRunnerTest.runAsync(r, publish("one"));
    awaitOut("one\n");
    publish("two");
    r.forward("TERM");
    assertEquals(143, code.get(60, TimeUnit.SECONDS), "not an hour later");
    assertEquals(1, r.starts());
  }

  @Test
  void jitterOnlyGoesWithRestart() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ExecRunner(
                    List.of("true"),
                    Set.of(),
                    OnChange.signal("HUP"),
                    Duration.ofSeconds(1),
                    new ExecRunner.Options(
                        Jitter.upTo(Duration.ofSeconds(30)), java.util.OptionalInt.empty())));
    assertEquals("--jitter: only with --on-change restart", e.getMessage());
  }

  @Test
  void delaysAreUniformWithinTheBoundAndOutOfRangeDrawsAreClamped() {
    Jitter j = Jitter.upTo(Duration.ofSeconds(30));
    long seen = 0;
    for (int i = 0; i < 2000; i++) {
      Duration d = j.next();
      assertTrue(!d.isNegative() && d.compareTo(Duration.ofSeconds(30)) <= 0, d.toString());
      seen |= 1L << (d.toMillis() * 10 / 30_001); // which tenth of the window
    }
    assertEquals(0x3ff, seen, "every tenth of the window is drawn");
    assertEquals(
        Duration.ofSeconds(30), new Jitter(Duration.ofSeconds(30), b -> b + 5).next(), "clamped");
    assertEquals(Duration.ZERO, new Jitter(Duration.ofSeconds(30), b -> -1).next());
    assertEquals(Duration.ZERO, Jitter.NONE.next());
    assertTrue(Jitter.upTo(null).isNone());
  }
}
