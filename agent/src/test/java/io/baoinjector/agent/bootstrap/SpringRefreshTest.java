package io.baoinjector.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The refresh registry without Spring: a stand-in with a public {@code refresh()} is registered as
 * the rewritten {@code ContextRefresher} constructor would register it (it has no Spring context,
 * so it counts as started). Snapshots are published as the transport thread publishes them.
 */
@Timeout(30)
class SpringRefreshTest {
  /** What each {@code refresh()} saw of {@code A}, in order; "boom" throws once. */
  public static final class FakeRefresher {
    final BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    volatile CountDownLatch hold;
    volatile boolean failNext;

    public Object refresh() throws InterruptedException {
      seen.add(String.valueOf(ManagedEnv.get("A")));
      CountDownLatch h = hold;
      if (h != null) {
        hold = null;
        h.await();
      }
      if (failNext) {
        failNext = false;
        throw new IllegalStateException("bound value canary-7f3e is not an int");
      }
      return null;
    }

    String next() throws InterruptedException {
      String v = seen.poll(10, TimeUnit.SECONDS);
      if (v == null) {
        throw new AssertionError("no refresh within 10 s");
      }
      return v;
    }
  }

  private final FakeRefresher fake = new FakeRefresher();

  @AfterEach
  void forget() {
    SpringRefresh.forget(fake);
    ManagedEnv.replace(Map.of());
  }

  @Test
  void oneRefreshPerChangedRevisionWithBurstsCoalescedOnTheAgentThread() throws Exception {
    ManagedEnv.replace(Map.of("A", "0"));
    SpringRefresh.register(fake);
    SpringRefresh.register(fake); // a constructor delegating with this(..) registers twice
    CountDownLatch release = new CountDownLatch(1);
    fake.hold = release;

    ManagedEnv.replace(Map.of("A", "1"));
    assertEquals("1", fake.next());
    // three revisions while the first refresh runs: one more refresh covers them
    ManagedEnv.replace(Map.of("A", "2"));
    ManagedEnv.replace(Map.of("A", "3"));
    ManagedEnv.replace(Map.of("A", "4"));
    release.countDown();
    assertEquals("4", fake.next());
    // a snapshot with the same values (a new sidecar instance, say) asks for no refresh
    long published = SpringRefresh.published();
    ManagedEnv.replace(Map.of("A", "4"));
    assertEquals(published, SpringRefresh.published());
    ManagedEnv.replace(Map.of("A", "4"), true); // ...unless its system properties changed
    assertEquals(published + 1, SpringRefresh.published());
    assertEquals("4", fake.next());
    ManagedEnv.replace(Map.of("A", "5"));
    assertEquals("5", fake.next());
    assertTrue(fake.seen.isEmpty(), "no refresh beyond one per revision: " + fake.seen);
  }

  @Test
  void aFailureIsOneLineWithoutTheMessageAndTheNextRotationRefreshesAgain() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      SpringRefresh.register(fake);
      fake.failNext = true;
      ManagedEnv.replace(Map.of("A", "1"));
      assertEquals("1", fake.next());
      ManagedEnv.replace(Map.of("A", "2"));
      assertEquals("2", fake.next());
    } finally {
      System.setErr(before);
    }
    // the failed refresh printed its line before the next one started
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(
        lines.get(0).startsWith("bao-injector agent: Spring refresh after a rotation failed")
            && lines.get(0).contains("java.lang.IllegalStateException"),
        lines.get(0));
    assertFalse(lines.get(0).contains("canary-7f3e"), "no exception message: " + lines.get(0));
  }

  @Test
  void theRefreshRunsOnOneNamedDaemonThread() throws Exception {
    SpringRefresh.register(fake);
    ManagedEnv.replace(Map.of("A", "1"));
    assertEquals("1", fake.next());
    List<Thread> threads =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals(SpringRefresh.THREAD_NAME))
            .toList();
    assertEquals(1, threads.size(), threads.toString());
    assertTrue(threads.get(0).isDaemon());
  }
}
