package io.baoinjector.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The application side of a fault scenario: {@code GET /v1/secrets/NAME} on the sidecar's socket
 * every {@code period}, each answer checked against what the test wrote to OpenBao ({@link
 * #expect}). A read fails when it cannot connect, answers other than 200, carries a value that is
 * not OpenBao's for its version, or a version older than one already served. Values are compared,
 * never printed: failure reasons name versions only.
 *
 * <p>The loop is bounded: it stops at {@link #close()} or after {@code maxReads}.
 */
public final class SecretReader implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_READS = 20_000;

  private final Path socket;
  private final String name;
  private final Duration period;
  private final Map<Integer, String> written = new ConcurrentHashMap<>();
  private final Map<Integer, Long> writtenAt = new ConcurrentHashMap<>();
  private final Map<Integer, Long> firstSeenAt = new ConcurrentHashMap<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final long t0 = System.nanoTime();
  private final Thread thread;
  private volatile boolean stop;
  private volatile int reads;
  private volatile int unreachable;
  private volatile int errors;
  private volatile int wrong;
  private volatile int lastVersion;

  private SecretReader(Path socket, String name, Duration period) {
    this.socket = socket;
    this.name = name;
    this.period = period;
    this.thread = new Thread(this::loop, "secret-reader-" + name);
    thread.setDaemon(true);
  }

  /** Starts reading {@code name} every {@code period} from the sidecar at {@code socket}. */
  public static SecretReader start(Path socket, String name, Duration period) {
    SecretReader r = new SecretReader(socket, name, period);
    r.thread.start();
    return r;
  }

  /** Records that OpenBao holds {@code value} as {@code version} from now on. */
  public void expect(int version, String value) {
    written.put(version, value);
    writtenAt.putIfAbsent(version, System.nanoTime());
  }

  private void loop() {
    while (!stop && reads < MAX_READS) {
      readOnce();
      OpenBao.sleep(period.toMillis());
    }
  }

  private void readOnce() {
    long now = System.nanoTime();
    String at = String.format("read %d at +%.1fs", reads + 1, (now - t0) / 1e9);
    reads++;
    UnixHttp.Response r;
    try {
      r = UnixHttp.get(socket, "/v1/secrets/" + name);
    } catch (IOException | RuntimeException e) {
      unreachable++;
      fail(at + ": cannot reach the sidecar: " + e.getClass().getSimpleName());
      return;
    }
    if (r.status() != 200) {
      errors++;
      fail(at + ": status " + r.status());
      return;
    }
    int version;
    String value;
    try {
      JsonNode doc = JSON.readTree(r.body());
      version = doc.path("version").asInt(-1);
      value = doc.path("value").asText(null);
    } catch (IOException e) {
      errors++;
      fail(at + ": body is not JSON");
      return;
    }
    String expected = written.get(version);
    if (expected == null || !expected.equals(value)) {
      wrong++;
      fail(at + ": version " + version + " is not a value the test wrote for that version");
    } else if (version < lastVersion) {
      wrong++;
      fail(at + ": version went back from " + lastVersion + " to " + version);
    } else {
      lastVersion = version;
      for (Integer v : writtenAt.keySet()) {
        if (v <= version) {
          firstSeenAt.putIfAbsent(v, now);
        }
      }
    }
  }

  private void fail(String why) {
    if (failures.size() < 50) {
      failures.add(why);
    }
  }

  /** Waits until a read has served {@code version} or newer; returns the seconds since written. */
  public double awaitVersion(int version, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Long seen = firstSeenAt.get(version);
      if (seen != null) {
        return Math.max(0, seen - writtenAt.get(version)) / 1e9;
      }
      OpenBao.sleep(50);
    }
    throw new AssertionError(
        "version " + version + " of " + name + " not served within " + timeout + "; " + summary());
  }

  /** The longest a written version waited to be served (still unserved: until now). */
  public double maxStaleSeconds() {
    long now = System.nanoTime();
    long max = 0;
    for (Map.Entry<Integer, Long> e : writtenAt.entrySet()) {
      long seen = firstSeenAt.getOrDefault(e.getKey(), now);
      max = Math.max(max, seen - e.getValue());
    }
    return max / 1e9;
  }

  public int reads() {
    return reads;
  }

  /** Every failed read: unreachable + error status + wrong or backwards version. */
  public int failed() {
    return unreachable + errors + wrong;
  }

  public int unreachable() {
    return unreachable;
  }

  public int errors() {
    return errors;
  }

  /** Answers with a value that is not OpenBao's, or an older version than one already served. */
  public int wrong() {
    return wrong;
  }

  public int lastVersion() {
    return lastVersion;
  }

  public List<String> failures() {
    return new ArrayList<>(failures);
  }

  public String summary() {
    return String.format(
        "reads=%d failed=%d (unreachable=%d errors=%d wrong=%d) first failures=%s",
        reads,
        failed(),
        unreachable,
        errors,
        wrong,
        failures.subList(0, Math.min(5, failures.size())));
  }

  @Override
  public void close() {
    stop = true;
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
