package io.baoinjector.testkit;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits for an event a test can only see by looking (a log line, a file, a counter): checks every
 * 50 ms and fails with {@code never} once {@code max} has passed. A sleep in a test stands in for
 * the event and passes whether or not it happened; this fails when it did not.
 */
public final class Await {
  /** What the test looks at; may throw (a read of a file that is being replaced). */
  @FunctionalInterface
  public interface Check {
    boolean done() throws Exception;
  }

  private Await() {}

  public static void until(Duration max, Supplier<String> never, Check check) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (!check.done()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("after " + max + ": " + never.get());
      }
      Thread.sleep(50); // the poll interval of a wait with a deadline
    }
  }
}
