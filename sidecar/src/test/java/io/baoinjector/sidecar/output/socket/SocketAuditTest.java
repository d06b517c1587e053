package io.baoinjector.sidecar.output.socket;

import static io.baoinjector.sidecar.output.socket.Snapshots.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Denials and malformed requests cost a bounded number of log lines, not one each. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SocketAuditTest extends SocketServerFixture {
  PrintStream oldErr;
  ByteArrayOutputStream err = new ByteArrayOutputStream();

  SocketAuditTest() {
    super("inst-a");
  }

  void start(List<String> allow, Duration auditEvery) throws Exception {
    oldErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    server(0600, allow, null, () -> true, SocketServer.Limits.DEFAULTS).auditEvery(auditEvery);
    server.start();
    hub.publish(entries("DB_PASSWORD", "pw"), Map.of(), Set.of(), false, true);
  }

  @AfterEach
  void restoreErr() {
    if (oldErr != null) {
      System.setErr(oldErr);
    }
  }

  List<String> lines(String containing) {
    return err.toString(StandardCharsets.UTF_8)
        .lines()
        .filter(l -> l.contains(containing))
        .toList();
  }

  @Test
  void tenThousandDeniedRequestsWriteABoundedNumberOfLines() throws Exception {
    start(List.of("65534"), Duration.ofMillis(500)); // root, the test, is the denied peer
    long t0 = System.nanoTime();
    int denied = 0;
    for (int i = 0; i < 10_000; i++) {
      if (Uds.get(sock(), "/v1/secrets/DB_PASSWORD").status() == 403) {
        denied++;
      }
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertEquals(10_000, denied);
    List<String> lines = lines("denied peer=root uid=0");
    System.out.printf(
        "figure: 10,000 denied requests in %d ms -> %d log lines (%d bytes of log)%n",
        millis, lines.size(), err.size());
    // one line per 500 ms at most, plus the first
    assertTrue(lines.size() <= 2 + millis / 500, lines.size() + " lines: " + lines);
    assertTrue(lines.get(0).endsWith("suppressed=0"), lines.get(0));
    long counted = lines.size();
    for (String l : lines) {
      counted += Long.parseLong(l.substring(l.lastIndexOf("suppressed=") + 11));
    }
    // every denial is accounted for, written or counted, except those after the last line
    assertTrue(
        counted <= 10_000 && (lines.size() == 1 || counted > lines.size()), lines.toString());
  }

  @Test
  void malformedHostHeadersAreAnsweredWithoutAWarningEach() throws Exception {
    start(List.of(), Duration.ofSeconds(10));
    for (int i = 0; i < 2000; i++) {
      Uds.Resp r =
          Uds.raw(sock(), "GET /v1/health HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n");
      assertEquals(400, r.status(), r.head());
    }
    // and no Host at all (HTTP/1.0) is not a malformed authority
    Uds.Resp r = Uds.raw(sock(), "GET /v1/health HTTP/1.0\r\n\r\n");
    assertEquals(200, r.status(), r.head());
    assertEquals(List.of(), lines("Bad Authority"));
    assertEquals(List.of(), lines("HostPort"));
  }

  @Test
  void throttleWritesTheFirstThenOnePerPeriodWithTheCount() {
    AtomicLong now = new AtomicLong();
    AuditThrottle t = new AuditThrottle(Duration.ofSeconds(10), now::get);
    assertEquals(0, t.admit("k"));
    for (int i = 0; i < 99; i++) {
      assertEquals(-1, t.admit("k"));
    }
    assertEquals(0, t.admit("other"), "keys are counted apart");
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    assertEquals(99, t.admit("k"));
    assertEquals(-1, t.admit("k"));
  }
}
