package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.testkit.Await;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.UnixHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in {@code file:} store beside real OpenBao in the real sidecar: a dotenv key, a JSON
 * key and a whole file served with OpenBao's names, each store's rotation reaching the socket, a
 * removed file and an OpenBao outage each marking only their own names, and the {@code fallback:}
 * file standing in while OpenBao has never answered.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(240)
class FileBackendIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PEM =
      "-----BEGIN PRIVATE KEY-----\nMIIEcanary-pem-Q9\n-----END PRIVATE KEY-----\n";
  private static final String UNCHANGED =
      "bao_injector_backend_requests_total{backend=\"file\",outcome=\"unchanged\"} ";

  private static Map<String, String> env(OpenBao bao) {
    return Map.of("BAO_TOKEN", bao.rootToken());
  }

  /**
   * A config reading {@code DB_PASSWORD} from OpenBao plus {@code moreSecrets} (lines indented
   * under {@code secrets:}), serving the socket; {@code extra} goes under {@code outputs:} when
   * indented, at the top level otherwise.
   */
  private static Path config(Path work, OpenBao bao, Path sock, String moreSecrets, String extra)
      throws Exception {
    String yaml =
        TokenConfig.yaml(
            bao.address(),
            """
              DB_PASSWORD: secret/app/db#password
            %srefresh:
              interval: 1s
            outputs:
              socket:
                path: %s
            %s"""
                .formatted(moreSecrets, sock, extra));
    return Files.writeString(work.resolve("sidecar.yaml"), yaml);
  }

  /** As an operator (or an editor) replaces a file: written beside it, renamed over it. */
  private static void replace(Path file, String text) throws Exception {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String value(Path sock, String name) throws Exception {
    return JSON.readTree(UnixHttp.get(sock, "/v1/secrets/" + name).body()).path("value").asText();
  }

  private static void awaitValue(Path sock, String name, String expected) throws Exception {
    Await.until(
        WAIT, () -> name + " never became the new value", () -> expected.equals(value(sock, name)));
  }

  /** Waits until health's {@code backends.file.unresolved} is {@code name} alone. */
  private static void awaitFileUnresolved(Path sock, String name) throws Exception {
    Await.until(
        WAIT,
        () -> name + " never the one name in backends.file.unresolved",
        () ->
            health(sock)
                .path("backends")
                .path("file")
                .path("unresolved")
                .toString()
                .equals("[\"" + name + "\"]"));
  }

  private static JsonNode health(Path sock) throws Exception {
    return JSON.readTree(UnixHttp.get(sock, "/v1/health").body());
  }

  /** Health's top-level flag (OpenBao's, or a fallback served) is {@code expected}. */
  private static boolean stale(UnixHttp.Response r, boolean expected) {
    try {
      return JSON.readTree(r.body()).path("stale").asBoolean(!expected) == expected;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static double unchangedChecks(Path sock) throws Exception {
    for (String line : UnixHttp.get(sock, "/metrics").body().split("\n")) {
      if (line.startsWith(UNCHANGED)) {
        return Double.parseDouble(line.substring(UNCHANGED.length()).trim());
      }
    }
    return 0;
  }

  @Test
  void openBaoAndFilesServedTogetherEachStoreRotatingAndFailingAlone(
      OpenBao bao, @TempDir Path work) throws Exception {
    bao.put("app/db", Map.of("password", "canary-bao-1"));
    Path dotenv = work.resolve("local.env");
    Path json = work.resolve("app.json");
    Path pem = work.resolve("tls.key");
    replace(dotenv, "DB_USER=canary-user-1\nOTHER=x\n");
    replace(json, "{\"token\": \"canary-token-1\", \"port\": 5432}");
    replace(pem, PEM);
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      Path out = t.resolve("app.env");
      Path cfg =
          config(
              work,
              bao,
              sock,
              """
                DB_USER: file:%s#DB_USER
                API_TOKEN: file:%s#token
                TLS_KEY: file:%s
              """
                  .formatted(dotenv, json, pem),
              """
                files:
                  - path: %s
                    format: dotenv
              """
                  .formatted(out));
      try (SidecarProcess p = SidecarProcess.start(work, env(bao), "run", "-c", cfg.toString())) {
        UnixHttp.Response ready = p.awaitReady(sock);
        assertTrue(
            ready.body().contains("\"backends\":{\"file\":{\"stale\":false,\"unresolved\":[]}}"),
            ready.body());
        assertEquals("canary-bao-1", value(sock, "DB_PASSWORD"));
        assertEquals("canary-user-1", value(sock, "DB_USER"));
        assertEquals("canary-token-1", value(sock, "API_TOKEN"));
        assertEquals(PEM, value(sock, "TLS_KEY"));
        String sourced =
            "set -a; . "
                + out
                + "; printf '%s|%s|%s|%s' \"$DB_PASSWORD\" \"$DB_USER\""
                + " \"$API_TOKEN\" \"$TLS_KEY\"";
        Await.until(
            WAIT,
            () -> "the dotenv output never held all four",
            () -> Files.exists(out) && SidecarRunIT.bash(sourced).startsWith("canary-bao-1|"));
        assertEquals(
            "canary-bao-1|canary-user-1|canary-token-1|" + PEM, SidecarRunIT.bash(sourced));

        // an unchanged file costs a stat per round, counted as such
        String metrics = UnixHttp.get(sock, "/metrics").body();
        assertTrue(metrics.contains("bao_injector_backend_stale{backend=\"file\"} 0"), metrics);
        double checks = unchangedChecks(sock);
        Await.until(
            WAIT, () -> "no unchanged check after " + checks, () -> unchangedChecks(sock) > checks);

        bao.put("app/db", Map.of("password", "canary-bao-2"));
        awaitValue(sock, "DB_PASSWORD", "canary-bao-2");
        replace(dotenv, "DB_USER=canary-user-2\nOTHER=x\n");
        awaitValue(sock, "DB_USER", "canary-user-2");
        Await.until(
            WAIT,
            () -> "the dotenv output never took the file's rotation",
            () -> SidecarRunIT.bash(sourced).startsWith("canary-bao-2|canary-user-2|"));

        // a removed file: its name keeps the last value and is listed unresolved, OpenBao's not
        Files.delete(json);
        awaitFileUnresolved(sock, "API_TOKEN");
        assertEquals("canary-token-1", value(sock, "API_TOKEN"));
        JsonNode h = health(sock);
        assertFalse(h.path("stale").asBoolean(), h.toString());
        assertFalse(h.path("backends").path("file").path("stale").asBoolean(), h.toString());
        replace(json, "{\"token\": \"canary-token-2\"}");
        awaitValue(sock, "API_TOKEN", "canary-token-2");

        // OpenBao down: stale at the top, the file store fresh and still rotating
        bao.stop();
        p.awaitHealth(sock, r -> stale(r, true), WAIT);
        h = health(sock);
        assertEquals("ready", h.path("status").asText(), h.toString());
        assertFalse(h.path("backends").path("file").path("stale").asBoolean(), h.toString());
        replace(dotenv, "DB_USER=canary-user-3\nOTHER=x\n");
        awaitValue(sock, "DB_USER", "canary-user-3");
        assertEquals("canary-bao-2", value(sock, "DB_PASSWORD"));
        assertTrue(
            UnixHttp.get(sock, "/metrics")
                .body()
                .contains("bao_injector_backend_stale{backend=\"file\"} 0"));

        // a dotenv file with a mistake: its names keep their values, and the log says where
        replace(dotenv, "DB_USER=canary-user-4\nOTHER=`x`\n");
        awaitFileUnresolved(sock, "DB_USER");
        assertEquals("canary-user-3", value(sock, "DB_USER"));

        assertEquals(0, p.terminate());
        assertTrue(
            p.stderr()
                .contains(
                    "file:"
                        + dotenv
                        + ": no keys served: "
                        + dotenv
                        + ":2: a backtick would run a command; put the value in single quotes"),
            p.stderr());
        assertTrue(
            p.stderr().contains("API_TOKEN: file:" + json + ": no such file"),
            "the removed file is named once:\n" + p.stderr());
        for (String log : new String[] {p.stderr(), p.stdout()}) {
          assertFalse(log.contains("canary"), "a value in the sidecar's output:\n" + log);
          assertFalse(log.contains("MIIE"), "the PEM in the sidecar's output:\n" + log);
        }
      }
    }
  }

  @Test
  void oneUnreadablePathIsThatFilesProblemAlone(OpenBao bao, @TempDir Path work) throws Exception {
    bao.put("app/db", Map.of("password", "canary-bao-1"));
    Path good = work.resolve("good.env");
    replace(good, "K=canary-good-1\n");
    Path plain = Files.writeString(work.resolve("plain"), "x");
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      Path cfg =
          config(
              work,
              bao,
              sock,
              "  BROKEN: file:" + plain + "/x.env#K\n  GOOD: file:" + good + "#K\n",
              "");
      try (SidecarProcess p = SidecarProcess.start(work, env(bao), "run", "-c", cfg.toString())) {
        p.awaitHealth(
            sock,
            r ->
                r.body()
                    .contains(
                        "\"backends\":{\"file\":{\"stale\":false,\"unresolved\":[\"BROKEN\"]}}"),
            WAIT);
        replace(good, "K=canary-good-2\n");
        awaitValue(sock, "GOOD", "canary-good-2");
        JsonNode h = health(sock);
        assertEquals("starting", h.path("status").asText(), h.toString());
        assertFalse(h.path("backends").path("file").path("stale").asBoolean(), h.toString());

        assertEquals(0, p.terminate());
        String err = p.stderr();
        assertFalse(err.contains("unreachable"), err);
        assertEquals(
            1,
            err.lines()
                .filter(l -> l.contains(plain + "/x.env: cannot stat: Not a directory"))
                .count(),
            err);
        assertFalse(err.contains("canary"), err);
      }
    }
  }

  @Test
  void theFallbackFileIsServedStaleWhileOpenBaoHasNeverAnswered(OpenBao bao, @TempDir Path work)
      throws Exception {
    bao.stop();
    Path fallback = work.resolve("fallback.env");
    replace(fallback, "DB_PASSWORD=canary-fallback-1\nUNUSED=x\n");
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      Path cfg = config(work, bao, sock, "", "fallback: file:" + fallback + "\n");
      try (SidecarProcess p = SidecarProcess.start(work, env(bao), "run", "-c", cfg.toString())) {
        UnixHttp.Response ready = p.awaitReady(sock);
        JsonNode h = JSON.readTree(ready.body());
        assertEquals("ready", h.path("status").asText(), ready.body());
        assertTrue(h.path("stale").asBoolean(), ready.body());
        assertEquals("canary-fallback-1", value(sock, "DB_PASSWORD"));

        // once OpenBao answers, its value replaces the fallback's ...
        bao.restart();
        bao.put("app/db", Map.of("password", "canary-bao-1"));
        awaitValue(sock, "DB_PASSWORD", "canary-bao-1");
        p.awaitHealth(sock, r -> stale(r, false), WAIT);

        // ... and a later outage keeps it: the fallback is for a store that never answered
        bao.stop();
        p.awaitHealth(sock, r -> stale(r, true), WAIT);
        assertEquals("canary-bao-1", value(sock, "DB_PASSWORD"));

        assertEquals(0, p.terminate());
        for (String log : new String[] {p.stderr(), p.stdout()}) {
          assertFalse(log.contains("canary"), "a value in the sidecar's output:\n" + log);
        }
      }
    }
  }
}
