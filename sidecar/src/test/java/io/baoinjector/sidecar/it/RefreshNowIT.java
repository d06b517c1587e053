package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.testkit.DatabaseEngine;
import io.baoinjector.testkit.FaultProxy;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.PostgresServer;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.UnixHttp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refresh now, end to end: a real OpenBao behind a {@link FaultProxy} (which counts every request
 * that reaches it), the real sidecar with {@code refresh.interval: 1h} (so no background round
 * explains a new value), and the real {@code bao-injector refresh} command.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(300)
class RefreshNowIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String OLD = "old-canary-R7q2";
  static final String NEW = "new-canary-K4w9";
  static final String HUP = "hup-canary-P3z8";
  static final String PG_ROOT = "pg-root-canary-9d2c";

  @Test
  void aKvPutIsServedAfterRefreshLeasesAreNotReadAgainAndConcurrentRequestsShareOneRound(
      OpenBao bao, @TempDir Path work) throws Exception {
    bao.put("app/db", Map.of("password", OLD));
    bao.put("app/api", Map.of("key", "k1"));
    try (PostgresServer pg = PostgresServer.start();
        FaultProxy proxy = FaultProxy.to(bao.port());
        TmpfsDir t = new TmpfsDir()) {
      // an hour-long lease: nothing but a refresh could make the sidecar read it again
      DatabaseEngine.mount(bao, pg, PG_ROOT, 3600, 7200, List.of());
      Path sock = t.resolve("agent.sock");
      Files.setPosixFilePermissions(t.path(), PosixFilePermissions.fromString("rwxr-xr-x"));
      try (SidecarProcess p =
          started(
              bao,
              work,
              proxy,
              sock,
              "  PG_USER: database/creds/app#username\n  PG_PASSWORD: database/creds/app#password\n")) {
        p.awaitReady(sock);
        long rev = revision(sock);
        String pgUser = value(sock, "PG_USER");
        List<String> leases = DatabaseEngine.liveLeases(bao);
        long credReads = proxy.forwarded("GET /v1/database/creds/app HTTP");
        assertEquals(1, leases.size(), leases.toString());
        assertEquals(1, credReads);

        bao.cli("kv", "put", "secret/app/db", "password=" + NEW);
        SidecarProcess.Result r =
            SidecarProcess.runToEnd(work, Map.of(), "refresh", "--socket", sock.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("revision " + (rev + 1) + "\n", r.stdout());
        assertEquals(NEW, value(sock, "DB_PASSWORD"), "served at once, no interval passed");
        assertEquals(pgUser, value(sock, "PG_USER"), "the leased credentials are unchanged");

        // 20 at once, right after a forced round: inside the rate limit, so all wait for the next
        // permitted round, and share it
        assertEquals(200, UnixHttp.post(sock, "/v1/refresh").status());
        long metadata = proxy.forwarded("/v1/secret/metadata/");
        List<UnixHttp.Response> answers = concurrently(20, sock);
        Set<String> bodies = new HashSet<>();
        for (UnixHttp.Response a : answers) {
          assertEquals(200, a.status(), a.body());
          bodies.add(a.body());
        }
        assertEquals(Set.of("{\"revision\":" + (rev + 1) + "}"), bodies, "nothing changed");
        assertEquals(
            2,
            proxy.forwarded("/v1/secret/metadata/") - metadata,
            "one round: one version check per KV path (2), for 20 requests");

        bao.cli("kv", "put", "secret/app/db", "password=" + HUP);
        new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor();
        UnixHttp.Response env =
            UnixHttp.get(sock, "/v1/env?after=" + (rev + 1) + "&wait=30s"); // answers on the change
        assertEquals(HUP, JSON.readTree(env.body()).path("values").path("DB_PASSWORD").asText());
        assertEquals(HUP, value(sock, "DB_PASSWORD"));
        assertTrue(p.isAlive(), "SIGHUP must not stop the sidecar");

        assertEquals(leases, DatabaseEngine.liveLeases(bao), "no new lease from any refresh");
        assertEquals(
            credReads,
            proxy.forwarded("GET /v1/database/creds/app HTTP"),
            "no read of a leased path");
        assertEquals(pgUser, value(sock, "PG_USER"));

        // its round starts after SIGHUP's ended, so SIGHUP's count is in by its answer
        assertEquals(200, UnixHttp.post(sock, "/v1/refresh").status());
        String metrics = UnixHttp.get(sock, "/metrics").body();
        assertTrue(
            metrics.contains("bao_injector_refresh_requests_total{outcome=\"ok\"} 24"), metrics);

        // a uid outside allow-uids: the command says which list to add it to
        SidecarProcess.Result denied = asNobody(work, "refresh", "--socket", sock.toString());
        assertEquals(1, denied.exit(), denied.stderr());
        assertEquals("", denied.stdout());
        assertEquals(1, denied.stderr().lines().count(), denied.stderr());
        assertTrue(
            denied.stderr().startsWith("bao-injector: refresh: the sidecar at " + sock)
                && denied.stderr().contains("refused uid 65534")
                && denied.stderr().contains("outputs.socket.allow-uids"),
            denied.stderr());

        String out = p.stdout() + p.stderr() + r.stdout() + r.stderr() + denied.stderr();
        for (String secret : List.of(OLD, NEW, HUP, PG_ROOT)) {
          assertFalse(out.contains(secret), "a value in the output");
        }
        assertTrue(p.stderr().contains("refresh done (SIGHUP): revision"), p.stderr());
      }
    }
  }

  @Test
  void aHungOpenBaoIsA503WithTheUnchangedRevisionWithinTheDeadlineAndHoldsNoThread(
      OpenBao bao, @TempDir Path work) throws Exception {
    bao.put("app/db", Map.of("password", OLD));
    bao.put("app/api", Map.of("key", "k1"));
    try (FaultProxy proxy = FaultProxy.to(bao.port());
        TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      try (SidecarProcess p = started(bao, work, proxy, sock, "")) {
        p.awaitReady(sock);
        long rev = revision(sock);
        bao.put("app/db", Map.of("password", NEW));
        proxy.mode(FaultProxy.Mode.STALL);

        long t0 = System.nanoTime();
        SidecarProcess.Result r =
            SidecarProcess.runToEnd(
                work, Map.of(), "refresh", "--socket", sock.toString(), "--wait", "2s");
        assertEquals(1, r.exit(), r.stderr());
        assertEquals("", r.stdout());
        assertEquals(
            "bao-injector: refresh: the refresh did not finish within 2000 ms (OpenBao slow or"
                + " unreachable); the values served are unchanged (revision still "
                + rev
                + ")\n",
            r.stderr());

        // 200 parked refreshes (the 16 Jetty threads many times over), while reads still answer
        List<SocketChannel> parked = new ArrayList<>();
        try {
          for (int i = 0; i < 200; i++) {
            parked.add(postOpen(sock, "/v1/refresh?wait=5s"));
          }
          assertEquals(OLD, value(sock, "DB_PASSWORD"));
          assertEquals(200, UnixHttp.get(sock, "/v1/health").status());
          for (SocketChannel ch : parked) {
            String answer = readAll(ch);
            assertTrue(answer.startsWith("HTTP/1.1 503 "), answer);
            assertTrue(answer.endsWith("\"revision\":" + rev + "}"), answer);
          }
        } finally {
          for (SocketChannel ch : parked) {
            ch.close();
          }
        }
        long took = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        assertTrue(took < 60, "answered within the deadlines, not the call timeout: " + took);

        proxy.mode(FaultProxy.Mode.PASS);
        r =
            SidecarProcess.runToEnd(
                work, Map.of(), "refresh", "--socket", sock.toString(), "--wait", "60s");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(NEW, value(sock, "DB_PASSWORD"), "OpenBao back: the refresh goes through");
        assertTrue(p.isAlive());
      }
    }
  }

  @Test
  void aStormOf200SighupsIsAtMostOneRoundASecondAndLeavesNoThreadBehind(
      OpenBao bao, @TempDir Path work) throws Exception {
    bao.put("app/db", Map.of("password", OLD));
    bao.put("app/api", Map.of("key", "k1"));
    try (FaultProxy proxy = FaultProxy.to(bao.port());
        TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      Files.setPosixFilePermissions(t.path(), PosixFilePermissions.fromString("rwxr-xr-x"));
      try (SidecarProcess p = started(bao, work, proxy, sock, "")) {
        p.awaitReady(sock);
        long threads = threads(p.pid());
        long metadata = proxy.forwarded("/v1/secret/metadata/");
        long t0 = System.nanoTime();
        Process storm =
            new ProcessBuilder(
                    "bash",
                    "-c",
                    "for i in $(seq 200); do kill -HUP " + p.pid() + " || exit 1; done")
                .start();
        assertEquals(0, storm.waitFor(), "kill -HUP failed");
        // a refresh asked after the storm answers after its rounds, so they are all counted
        assertEquals(200, UnixHttp.post(sock, "/v1/refresh").status());
        double seconds = (System.nanoTime() - t0) / 1e9;
        long rounds = (proxy.forwarded("/v1/secret/metadata/") - metadata) / 2; // 2 KV paths
        assertTrue(rounds >= 1, "the storm asked for a round");
        assertTrue(
            rounds <= Math.ceil(seconds) + 1,
            rounds + " rounds in " + seconds + " s: more than one a second");
        assertTrue(p.isAlive(), "SIGHUP must not stop the sidecar");
        assertTrue(
            threads(p.pid()) <= threads + 4, threads + " threads before, " + threads(p.pid()));
      }
    }
  }

  private static long threads(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
        .filter(l -> l.startsWith("Threads:"))
        .mapToLong(l -> Long.parseLong(l.substring(8).trim()))
        .findFirst()
        .orElseThrow();
  }

  /**
   * {@code run} reading DB_PASSWORD, API_KEY and the {@code extra} secret lines through {@code
   * proxy} with the root token, serving on {@code sock}.
   */
  private static SidecarProcess started(
      OpenBao bao, Path work, FaultProxy proxy, Path sock, String extra) throws Exception {
    Path cfg = work.resolve("sidecar.yaml");
    Files.writeString(
        cfg,
        """
        openbao:
          address: %s
        secrets:
          DB_PASSWORD: secret/app/db#password
          API_KEY: secret/app/api#key
        %srefresh:
          interval: 1h
        outputs:
          socket:
            path: %s
            mode: "0666"
            allow-uids: [0]
        """
            .formatted(proxy.address(), extra, sock));
    return SidecarProcess.start(
        work, Map.of("BAO_TOKEN", bao.rootToken()), "run", "-c", cfg.toString());
  }

  private static long revision(Path sock) throws IOException {
    return JSON.readTree(UnixHttp.get(sock, "/v1/health").body()).get("revision").asLong();
  }

  private static String value(Path sock, String name) throws IOException {
    UnixHttp.Response r = UnixHttp.get(sock, "/v1/secrets/" + name);
    JsonNode n = JSON.readTree(r.body());
    assertEquals(200, r.status(), r.body());
    return n.get("value").asText();
  }

  private static List<UnixHttp.Response> concurrently(int n, Path sock) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<UnixHttp.Response>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        fs.add(
            pool.submit(
                () -> {
                  go.await();
                  return UnixHttp.post(sock, "/v1/refresh");
                }));
      }
      go.countDown();
      List<UnixHttp.Response> out = new ArrayList<>();
      for (Future<UnixHttp.Response> f : fs) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static SocketChannel postOpen(Path sock, String target) throws IOException {
    SocketChannel ch = SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
    ch.connect(java.net.UnixDomainSocketAddress.of(sock));
    ch.write(
        ByteBuffer.wrap(
            ("POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
    return ch;
  }

  /** Reads one response: the server closes after it (Connection: close is not asked, so read). */
  private static String readAll(SocketChannel ch) throws IOException {
    ch.shutdownOutput();
    return new String(
        java.nio.channels.Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
  }

  /** Runs {@code bao-injector ARGS} as uid 65534 (setpriv), to completion. */
  private static SidecarProcess.Result asNobody(Path work, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
    cmd.addAll(SidecarProcess.command(args));
    Path out = Files.createTempFile(work, "nobody", ".out");
    Path err = Files.createTempFile(work, "nobody", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(Path.of("/").toFile());
    pb.environment().keySet().removeIf(k -> !k.equals("PATH"));
    pb.environment().put("HOME", "/tmp");
    Process proc = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "refresh as uid 65534 did not finish");
    return new SidecarProcess.Result(
        proc.exitValue(), Files.readString(out), Files.readString(err));
  }
}
