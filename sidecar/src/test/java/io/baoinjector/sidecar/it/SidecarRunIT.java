package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.UnixHttp;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real sidecar process against real OpenBao: every endpoint, every file format, a rotation
 * reaching the long-poll and the files without a restart, real non-Java consumers (curl, bash,
 * python3), and SIGTERM.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(180)
class SidecarRunIT {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Nasty on purpose: quotes, $, backslash, newline. Canary: must never reach a log line. */
  static final String PASSWORD = "canary-p'w\"$HOME\\n\nline2";

  static String config(OpenBao bao, TmpfsDir t, Path template, String extra) {
    return TokenConfig.yaml(
        bao.address(),
        """
          DB_USER: secret/app/db#username
          DB_PASSWORD: secret/app/db#password
          STRIPE_KEY: secret/app/stripe#api_key
        properties:
          spring.datasource.password: secret/app/db#password
        refresh:
          interval: 1s
        outputs:
          socket:
            path: %s
          http:
            address: 127.0.0.1:%d
          files:
            - path: %s
              format: dotenv
            - path: %s
              format: json
            - path: %s
              format: raw
              name: DB_PASSWORD
            - path: %s
              format: properties
            - path: %s
              format: template
              template: %s
        %s
        """
            .formatted(
                t.resolve("agent.sock"),
                OpenBao.freePort(),
                t.resolve("app.env"),
                t.resolve("app.json"),
                t.resolve("db-password"),
                t.resolve("app.properties"),
                t.resolve("config.txt"),
                template,
                extra));
  }

  /** DB_PASSWORD, refreshed every second, served on {@code t}'s socket only. */
  static Path socketOnlyConfig(OpenBao bao, TmpfsDir t, Path work) throws Exception {
    return Files.writeString(
        work.resolve("sidecar.yaml"),
        TokenConfig.yaml(
            bao.address(),
            """
              DB_PASSWORD: secret/app/db#password
            refresh:
              interval: 1s
            outputs:
              socket:
                path: %s
            """
                .formatted(t.resolve("agent.sock"))));
  }

  static Map<String, String> env(OpenBao bao) {
    return Map.of("BAO_TOKEN", bao.rootToken());
  }

  @Test
  void servesEveryEndpointAndFormatAndARotationReachesThemLive(OpenBao bao, @TempDir Path work)
      throws Exception {
    bao.put("app/db", Map.of("username", "app", "password", PASSWORD));
    bao.put("app/stripe", Map.of("api_key", "sk_live_1"));
    Path template = work.resolve("config.tmpl");
    Files.writeString(template, "user={{DB_USER}} key={{STRIPE_KEY}}\n");
    try (TmpfsDir t = new TmpfsDir()) {
      Path cfg = work.resolve("sidecar.yaml");
      Files.writeString(cfg, config(bao, t, template, ""));
      Path sock = t.resolve("agent.sock");
      try (SidecarProcess p = SidecarProcess.start(work, env(bao), "run", "-c", cfg.toString())) {
        UnixHttp.Response health = p.awaitReady(sock);
        JsonNode h = JSON.readTree(health.body());
        assertEquals("ready", h.path("status").asText());
        assertFalse(h.path("stale").asBoolean());
        String instance = h.path("instance").asText();
        long rev = h.path("revision").asLong();

        // socket file mode as configured (default 0660)
        assertEquals(
            "rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));

        JsonNode envDoc = JSON.readTree(UnixHttp.get(sock, "/v1/env").body());
        assertEquals(PASSWORD, envDoc.path("values").path("DB_PASSWORD").asText());
        assertEquals(
            PASSWORD, envDoc.path("properties").path("spring.datasource.password").asText());
        assertEquals(instance, envDoc.path("instance").asText());

        UnixHttp.Response one = UnixHttp.get(sock, "/v1/secrets/STRIPE_KEY");
        assertEquals(200, one.status());
        JsonNode oneDoc = JSON.readTree(one.body());
        assertEquals("sk_live_1", oneDoc.path("value").asText());
        assertEquals(1, oneDoc.path("version").asInt());
        assertEquals(404, UnixHttp.get(sock, "/v1/secrets/NOPE").status());
        assertTrue(UnixHttp.get(sock, "/metrics").body().contains("bao_injector_logins_total"));

        // files, read by their real consumers
        assertEquals(
            PASSWORD, bash("set -a; . " + t.resolve("app.env") + "; printf %s \"$DB_PASSWORD\""));
        assertEquals(
            PASSWORD,
            run(
                List.of(
                    "python3",
                    "-c",
                    "import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))['DB_PASSWORD'])",
                    t.resolve("app.json").toString())));
        assertArrayEquals(
            PASSWORD.getBytes(StandardCharsets.UTF_8),
            Files.readAllBytes(t.resolve("db-password")));
        Properties props = new Properties();
        props.load(new StringReader(Files.readString(t.resolve("app.properties"))));
        assertEquals(PASSWORD, props.getProperty("spring.datasource.password"));
        assertEquals("user=app key=sk_live_1\n", Files.readString(t.resolve("config.txt")));
        assertEquals(
            "r--------",
            PosixFilePermissions.toString(Files.getPosixFilePermissions(t.resolve("app.env"))));

        // curl, the non-Java client
        assertEquals(
            "sk_live_1",
            JSON.readTree(
                    run(
                        List.of(
                            "curl",
                            "-fsS",
                            "--unix-socket",
                            sock.toString(),
                            "http://localhost/v1/secrets/STRIPE_KEY")))
                .path("value")
                .asText());

        // with nothing new, a long-poll is answered at its own deadline with the revision it had
        long asked = System.nanoTime();
        JsonNode unchanged =
            JSON.readTree(
                UnixHttp.get(sock, "/v1/env?after=" + rev + "&instance=" + instance + "&wait=1s")
                    .body());
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
        assertEquals(rev, unchanged.path("revision").asLong(), unchanged.toString());
        assertTrue(waitedMs >= 1000, "answered before its wait was up: " + waitedMs + " ms");

        // a long-poll waiting for the next revision sees a rotation in OpenBao, as do the files
        CompletableFuture<UnixHttp.Response> poll =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return UnixHttp.get(
                        sock, "/v1/env?after=" + rev + "&instance=" + instance + "&wait=60s");
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
        bao.put("app/stripe", Map.of("api_key", "sk_live_2"));
        JsonNode rotated = JSON.readTree(poll.get(60, TimeUnit.SECONDS).body());
        assertEquals("sk_live_2", rotated.path("values").path("STRIPE_KEY").asText());
        assertEquals(rev + 1, rotated.path("revision").asLong());
        awaitFile(t.resolve("config.txt"), "user=app key=sk_live_2\n");
        assertTrue(
            bash("set -a; . " + t.resolve("app.env") + "; printf %s \"$STRIPE_KEY\"")
                .equals("sk_live_2"));

        // an after= from another instance is answered at once with the full snapshot
        JsonNode other =
            JSON.readTree(
                UnixHttp.get(sock, "/v1/env?after=" + (rev + 1) + "&instance=other&wait=60s")
                    .body());
        assertEquals("sk_live_2", other.path("values").path("STRIPE_KEY").asText());

        assertEquals(0, p.terminate(), "SIGTERM exits 0");
        assertFalse(Files.exists(sock), "the socket file is removed at exit");
        String err = p.stderr();
        assertTrue(err.contains("bao-injector: ready"), err);
        assertTrue(err.contains("DB_PASSWORD"), "the summary names the variables");
        assertFalse(err.contains("canary"), "no secret value in the log:\n" + err);
        assertFalse(err.contains("sk_live"), "no secret value in the log:\n" + err);
      }
    }
  }

  @Test
  void healthIsStartingUntilEveryNameResolvesAndStaleDuringAnOutage(OpenBao bao, @TempDir Path work)
      throws Exception {
    try (TmpfsDir t = new TmpfsDir()) {
      Path cfg = socketOnlyConfig(bao, t, work);
      Path sock = t.resolve("agent.sock");
      try (SidecarProcess p = SidecarProcess.start(work, env(bao), "run", "-c", cfg.toString())) {
        UnixHttp.Response starting =
            p.awaitHealth(sock, r -> r.status() == 503, Duration.ofSeconds(60));
        JsonNode s = JSON.readTree(starting.body());
        assertEquals("starting", s.path("status").asText());
        assertEquals("DB_PASSWORD", s.path("unresolved").path(0).asText());
        // not ready is "not available" on env too, with health's body and no values
        UnixHttp.Response env = UnixHttp.get(sock, "/v1/env");
        assertEquals(503, env.status(), env.body());
        JsonNode e = JSON.readTree(env.body());
        assertEquals("starting", e.path("status").asText());
        assertEquals("DB_PASSWORD", e.path("unresolved").path(0).asText());
        assertTrue(e.path("values").isMissingNode(), env.body());

        bao.put("app/db", Map.of("password", "pw1"));
        p.awaitReady(sock);

        bao.stop();
        UnixHttp.Response stale =
            p.awaitHealth(sock, r -> r.body().contains("\"stale\":true"), Duration.ofSeconds(60));
        assertEquals(200, stale.status(), "an outage keeps serving last-known-good values");
        assertEquals(
            "pw1",
            JSON.readTree(UnixHttp.get(sock, "/v1/secrets/DB_PASSWORD").body())
                .path("value")
                .asText());

        bao.restart();
        bao.put("app/db", Map.of("password", "pw2"));
        p.awaitHealth(sock, r -> r.body().contains("\"stale\":false"), Duration.ofSeconds(60));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String v = "";
        while (System.nanoTime() < deadline && !v.equals("pw2")) {
          v =
              JSON.readTree(UnixHttp.get(sock, "/v1/secrets/DB_PASSWORD").body())
                  .path("value")
                  .asText();
          Thread.sleep(100);
        }
        assertEquals("pw2", v, "recovered without a restart");
        assertEquals(0, p.terminate());
      }
    }
  }

  @Test
  void healthTurnsStaleWithinTheWindowWhileOpenBaoHangs(OpenBao bao, @TempDir Path work)
      throws Exception {
    bao.put("app/db", Map.of("password", "pw1"));
    try (TmpfsDir t = new TmpfsDir()) {
      Path cfg = socketOnlyConfig(bao, t, work);
      Path sock = t.resolve("agent.sock");
      try (SidecarProcess p = SidecarProcess.start(work, env(bao), "run", "-c", cfg.toString())) {
        p.awaitReady(sock);
        // SIGSTOP: the refresh round blocks on a read that waits out its 30 s timeout.
        bao.pause();
        long paused = System.nanoTime();
        p.awaitHealth(sock, r -> r.body().contains("\"stale\":true"), Duration.ofSeconds(60));
        double seconds = (System.nanoTime() - paused) / 1e9;
        System.out.printf("figure: health stale %.1f s after SIGSTOP of OpenBao%n", seconds);
        // interval 1 s + budget 5 s, plus slack for a loaded machine.
        assertTrue(seconds < 10, "stale after " + seconds + " s of a hung OpenBao");
        assertTrue(
            UnixHttp.get(sock, "/metrics").body().contains("bao_injector_stale 1"),
            "the metric agrees with health");
        assertEquals(
            "pw1",
            JSON.readTree(UnixHttp.get(sock, "/v1/secrets/DB_PASSWORD").body())
                .path("value")
                .asText(),
            "last-known-good values are still served");
        bao.resume();
        p.awaitHealth(sock, r -> r.body().contains("\"stale\":false"), Duration.ofSeconds(60));
        assertEquals(0, p.terminate());
      }
    }
  }

  @Test
  void theHealthListenerServesNoSecrets(OpenBao bao, @TempDir Path work) throws Exception {
    bao.put("app/db", Map.of("password", "pw"));
    int port = OpenBao.freePort();
    Path cfg = work.resolve("sidecar.yaml");
    Files.writeString(
        cfg,
        TokenConfig.yaml(
            bao.address(),
            """
              DB_PASSWORD: secret/app/db#password
            outputs:
              http:
                address: 127.0.0.1:%d
            """
                .formatted(port)));
    try (SidecarProcess p = SidecarProcess.start(work, env(bao), "run", "-c", cfg.toString())) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      HttpResponse<String> health = null;
      while (System.nanoTime() < deadline) {
        try {
          health = httpGet(port, "/v1/health");
          if (health.statusCode() == 200) {
            break;
          }
        } catch (IOException e) {
          // not up yet
        }
        Thread.sleep(100);
      }
      assertEquals(200, health.statusCode());
      for (String path : List.of("/v1/env", "/v1/secrets/DB_PASSWORD")) {
        HttpResponse<String> r = httpGet(port, path);
        assertEquals(404, r.statusCode(), path);
        assertFalse(r.body().contains("pw\""), r.body());
      }
      HttpResponse<String> m = httpGet(port, "/metrics");
      assertTrue(m.body().contains("bao_injector_"), m.body());
      assertEquals(0, p.terminate());
    }
  }

  static HttpResponse<String> httpGet(int port, String path)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  static void awaitFile(Path f, String expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      last = Files.readString(f);
      if (last.equals(expected)) {
        return;
      }
      Thread.sleep(50);
    }
    assertEquals(expected, last);
  }

  static String bash(String script) throws Exception {
    return run(List.of("bash", "-c", script));
  }

  static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "exit of " + cmd);
    return out;
  }
}
