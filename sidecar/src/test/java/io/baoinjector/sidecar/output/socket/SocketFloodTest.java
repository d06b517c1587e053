package io.baoinjector.sidecar.output.socket;

import static io.baoinjector.sidecar.output.socket.Snapshots.entries;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.output.Modes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Floods from another local uid (65534, through setpriv) and from too many connections: the allowed
 * application keeps reading and the TCP probe listener keeps answering. Every loop is bounded in
 * count and time; figures go to stdout.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SocketFloodTest extends SocketServerFixture {
  static final int READS = 90;

  SocketFloodTest() {
    super("inst-f");
  }

  void start(List<String> allow, OutputSettings.Http http, SocketServer.Limits limits)
      throws IOException {
    // uid 65534 must be able to connect: the barrier under test is the server's, not the mode's
    Files.setPosixFilePermissions(dir, Modes.permissions(0755));
    server(0666, allow, http, () -> true, limits).start();
    hub.publish(entries("DB_PASSWORD", "pw"), Map.of(), Set.of(), false, true);
  }

  @Test
  void aDeniedUidsIdleConnectionsDoNotStarveTheAllowedUid() throws Exception {
    start(List.of("root"), null, SocketServer.Limits.DEFAULTS);
    Process flood = flood("idle", 2000, 25, 0);
    assertLegitimateReadsAllSucceed(flood, "denied uid, 2,000 idle connections");
  }

  @Test
  void aDeniedUidsKeepAliveRequestsDoNotStarveTheAllowedUid() throws Exception {
    start(List.of("root"), null, SocketServer.Limits.DEFAULTS);
    Process flood = flood("keepalive", 1100, 25, 8000);
    assertLegitimateReadsAllSucceed(flood, "denied uid, 1,100 keep-alive connections");
  }

  @Test
  void oneAllowedUidCannotTakeEveryConnection() throws Exception {
    // both uids allowed; 65534 holds as many idle connections as it can, well past the total
    start(List.of("root", "65534"), null, limits(1024, 256, Duration.ofSeconds(60)));
    Process flood = flood("idle", 1500, 25, 0);
    assertLegitimateReadsAllSucceed(flood, "allowed uid 65534, 1,500 idle connections");
  }

  @Test
  void aSocketFloodLeavesTheTcpListenerAnswering() throws Exception {
    start(
        List.of(),
        new OutputSettings.Http(new InetSocketAddress("127.0.0.1", 0)),
        limits(50, 50, Duration.ofMillis(300)));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI health = URI.create("http://127.0.0.1:" + server.httpPort() + "/v1/health");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger opened = new AtomicInteger();
    List<Thread> flooders = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th =
          new Thread(
              () -> {
                List<SocketChannel> held = new ArrayList<>();
                // far over the socket's limit of 50, so it is at its limit the whole time
                for (int i = 0; i < 50_000 && !stop.get(); i++) {
                  try {
                    held.add(Uds.open(sock()));
                    opened.incrementAndGet();
                  } catch (IOException e) {
                    // refused while the queue is full: keep pushing
                  }
                  if (held.size() >= 100) {
                    closeAll(held);
                  }
                }
                closeAll(held);
              });
      th.setDaemon(true);
      th.start();
      flooders.add(th);
    }
    int probes = 0;
    int failed = 0;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    try {
      while (System.nanoTime() < end) {
        probes++;
        if (!answers(http, health)) {
          failed++;
        }
        Thread.sleep(200);
      }
    } finally {
      stop.set(true);
      for (Thread th : flooders) {
        th.join(TimeUnit.SECONDS.toMillis(30));
      }
    }
    System.out.printf(
        "figure: socket flood %d connections in 15s; TCP probes %d, failed %d%n",
        opened.get(), probes, failed);
    assertTrue(opened.get() > 1000, "the flood did not flood: " + opened.get());
    assertEquals(0, failed, "TCP health probes failed during the socket flood");
    assertTrue(answers(http, health), "TCP listener gone after the flood");
    assertEquals(200, Uds.get(sock(), "/v1/health").status());
  }

  static boolean answers(HttpClient http, URI uri) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static void closeAll(List<SocketChannel> held) {
    for (SocketChannel c : held) {
      try {
        c.close();
      } catch (IOException e) {
        // closing a test connection
      }
    }
    held.clear();
  }

  /** Starts {@code FloodClient} as uid 65534 with the JDK's source launcher. */
  Process flood(String mode, int connections, int seconds, int periodMs) throws IOException {
    Path src = dir.resolve("FloodClient.java");
    try (InputStream in = getClass().getResourceAsStream("/flood/FloodClient.java")) {
      Files.write(src, in.readAllBytes());
    }
    Files.setPosixFilePermissions(src, Modes.permissions(0644));
    String java = ProcessHandle.current().info().command().orElseThrow();
    return new ProcessBuilder(
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            java,
            "-Xmx64m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData",
            src.toString(),
            sock().toString(),
            mode,
            Integer.toString(connections),
            Integer.toString(seconds),
            Integer.toString(periodMs))
        .redirectErrorStream(true)
        .start();
  }

  /**
   * Waits until the flood holds or churns connections, then reads {@value #READS} times as root;
   * every read must answer 200. Prints the figures.
   */
  void assertLegitimateReadsAllSucceed(Process flood, String what) throws Exception {
    long rssBefore = rssKb();
    awaitFloodStarted(flood);
    int ok = 0;
    List<String> failures = new ArrayList<>();
    long worst = 0;
    for (int i = 0; i < READS; i++) {
      long t0 = System.nanoTime();
      Uds.Resp r = Uds.get(sock(), "/v1/secrets/DB_PASSWORD");
      worst = Math.max(worst, System.nanoTime() - t0);
      if (r.status() == 200 && r.body().contains("\"pw\"")) {
        ok++;
      } else if (failures.size() < 5) {
        failures.add(r.status() + " " + r.head());
      }
      Thread.sleep(100);
    }
    assertTrue(flood.isAlive(), "the flood ended before the reads did: " + output(flood));
    assertTrue(flood.waitFor(60, TimeUnit.SECONDS), "flood client did not stop");
    String summary = output(flood).trim();
    System.out.printf(
        "figure: %s: reads ok %d failed %d, slowest %d ms, test JVM RSS %d -> %d KB (peak %d KB);"
            + " flood: %s%n",
        what,
        ok,
        READS - ok,
        TimeUnit.NANOSECONDS.toMillis(worst),
        rssBefore,
        rssKb(),
        peakRssKb(),
        summary);
    assertEquals(0, flood.exitValue(), "flood client: " + summary);
    assertEquals(READS, ok, what + ": failed reads " + failures);
  }

  /** Returns once the flood client has opened its connections (its "started" line). */
  static void awaitFloodStarted(Process flood) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(flood.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine(); // bounded: the client stops by itself after its seconds
    assertEquals("started", line, "flood client: " + line + " " + output(flood));
  }

  static String output(Process p) {
    try {
      if (p.isAlive()) {
        return "(running)";
      }
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  static long rssKb() {
    return statusKb("VmRSS:");
  }

  static long peakRssKb() {
    return statusKb("VmHWM:");
  }

  static long statusKb(String key) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith(key)) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }
}
