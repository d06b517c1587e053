package io.baoinjector.agent.it;

import io.baoinjector.testkit.FaultRig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fault scenarios' second reader: {@code System.getenv(NAME)} inside an agent-attached app JVM,
 * asked every {@code periodMs} while the scenario runs. A read fails when the app has no value, a
 * value the test never wrote, or an older version than it already returned. Values are compared,
 * never printed.
 *
 * <p>Bounded: stops at {@link #close()} or after 5,000 reads.
 */
final class GetenvReader implements AutoCloseable {
  private final AppJvm app;
  private final FaultRig rig;
  private final long periodMs;
  private final Thread thread;
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final Map<Integer, Long> firstSeen = new ConcurrentHashMap<>();
  private volatile boolean stop;
  private volatile int reads;
  private volatile int failed;
  private volatile int lastVersion;

  GetenvReader(AppJvm app, FaultRig rig, long periodMs) {
    this.app = app;
    this.rig = rig;
    this.periodMs = periodMs;
    this.thread = new Thread(this::loop, "getenv-reader");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (!stop && reads < 5_000) {
      try {
        check(app.ask("get " + FaultRig.NAME));
        Thread.sleep(periodMs);
      } catch (Exception | AssertionError e) {
        failures.add("the app stopped answering: " + e.getClass().getSimpleName());
        failed++;
        return;
      }
    }
  }

  private void check(String value) {
    reads++;
    int version = -1;
    for (Map.Entry<Integer, String> e : rig.written().entrySet()) {
      if (e.getValue().equals(value)) {
        version = e.getKey();
      }
    }
    if (version < 0) {
      fail("read " + reads + ": getenv returned no value the test wrote");
    } else if (version < lastVersion) {
      fail("read " + reads + ": version went back from " + lastVersion + " to " + version);
    } else {
      lastVersion = version;
      firstSeen.putIfAbsent(version, System.nanoTime());
    }
  }

  private void fail(String why) {
    failed++;
    if (failures.size() < 20) {
      failures.add(why);
    }
  }

  /** Waits up to 15 s until getenv returns {@code version}; seconds from {@code since}. */
  double awaitVersion(int version, long since) throws InterruptedException {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (lastVersion < version) {
      if (System.nanoTime() > deadline || !thread.isAlive()) {
        throw new AssertionError(
            "getenv never returned version " + version + "; " + summary() + "\n" + app.stderr());
      }
      Thread.sleep(50); // polling the reader's own progress with a deadline
    }
    return (firstSeen.get(version) - since) / 1e9;
  }

  int reads() {
    return reads;
  }

  int failed() {
    return failed;
  }

  String summary() {
    return reads + " getenv reads, " + failed + " failed " + failures;
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join(10_000);
  }
}
