package io.baoinjector.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.TokenConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts in {@code examples/non-java/} against a real sidecar and a real OpenBao: each reads
 * the exact value (a hostile one), each sees a rotation, and each says what is wrong when it can't.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(240)
class NonJavaExamplesIT {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Quotes, $, backticks, backslashes, unicode and a newline: what breaks naive readers. */
  static final String NASTY = "p'w\"$HOME `id` \\n \\\\ ünï\nline2";

  static final String DIR = "examples/non-java/";

  static String config(OpenBao bao, TmpfsDir t, String socketExtra) {
    return TokenConfig.yaml(
        bao.address(),
        """
          DB_USER: secret/app/db#username
          DB_PASSWORD: secret/app/db#password
        refresh:
          interval: 1s
        outputs:
          socket:
            path: %s
        %s
          files:
            - path: %s
              format: dotenv
            - path: %s
              format: json
        """
            .formatted(
                t.resolve("agent.sock"), socketExtra, t.resolve("app.env"), t.resolve("app.json")));
  }

  @Test
  void everyScriptReadsTheExactValueAndSeesARotation(OpenBao bao, @TempDir Path work)
      throws Exception {
    bao.put("app/db", Map.of("username", "app", "password", NASTY));
    try (TmpfsDir t = new TmpfsDir()) {
      Path cfg = work.resolve("sidecar.yaml");
      Files.writeString(cfg, config(bao, t, ""));
      Path sock = t.resolve("agent.sock");
      String env = t.resolve("app.env").toString();
      String json = t.resolve("app.json").toString();
      try (SidecarProcess p =
          SidecarProcess.startReady(work, Map.of("BAO_TOKEN", bao.rootToken()), cfg, sock)) {
        assertEquals(NASTY + "\n", ok(bash("read-dotenv.sh", env, "DB_PASSWORD")));
        assertEquals("app\n", ok(bash("read-dotenv.sh", env, "DB_USER")));
        assertEquals(NASTY + "\n", ok(python("read-json.py", json, "DB_PASSWORD")));
        JsonNode answer = JSON.readTree(ok(bash("socket-curl.sh", sock.toString(), "DB_PASSWORD")));
        assertEquals("DB_PASSWORD", answer.path("name").asText());
        assertEquals(NASTY, answer.path("value").asText());
        assertEquals(1, answer.path("version").asInt());

        Run.Result exec =
            Run.run(
                Map.of("BAO_ADDR", bao.address(), "BAO_TOKEN", bao.rootToken()),
                List.of("bash", DIR + "exec-example.sh", cfg.toString()));
        assertEquals(
            "DB_USER=app DB_PASSWORD=" + NASTY + "\nBAO_ADDR in the child: (removed)\n", ok(exec));
        assertFalse(exec.stderr().contains(bao.rootToken()), exec.stderr());
        // the same from the running sidecar's socket, with no credentials in exec's environment
        Run.Result fromSocket =
            Run.run(
                Map.of("BAO_ADDR", bao.address()),
                List.of("bash", DIR + "exec-example.sh", "--socket", sock.toString()));
        assertEquals(
            "DB_USER=app DB_PASSWORD=" + NASTY + "\nBAO_ADDR in the child: (removed)\n",
            ok(fromSocket));

        // a long-running watcher over the socket's long-poll prints the rotation
        Path watchOut = work.resolve("watch.out");
        Process watcher =
            new ProcessBuilder(
                    "python3",
                    DIR + "watch-socket.py",
                    sock.toString(),
                    "DB_PASSWORD",
                    "--changes",
                    "1")
                .directory(Repo.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(watchOut.toFile())
                .start();
        try {
          awaitFileContent(watchOut, "DB_PASSWORD=" + NASTY + "\n");
          bao.put("app/db", Map.of("username", "app", "password", "rotated-2"));
          assertTrue(watcher.waitFor(60, TimeUnit.SECONDS), Files.readString(watchOut));
          assertEquals(0, watcher.exitValue(), Files.readString(watchOut));
          String watched = Files.readString(watchOut);
          assertTrue(watched.startsWith("DB_PASSWORD=" + NASTY + "\n"), watched);
          assertTrue(
              watched
                  .substring(("DB_PASSWORD=" + NASTY + "\n").length())
                  .matches("DB_PASSWORD=rotated-2   <- changed \\(revision \\d+\\)\n"),
              watched);
        } finally {
          watcher.destroyForcibly();
        }
        awaitOutput(() -> bash("read-dotenv.sh", env, "DB_PASSWORD"), "rotated-2\n");
        awaitOutput(() -> python("read-json.py", json, "DB_PASSWORD"), "rotated-2\n");
        JsonNode rotated =
            JSON.readTree(ok(bash("socket-curl.sh", sock.toString(), "DB_PASSWORD")));
        assertEquals("rotated-2", rotated.path("value").asText());
        assertEquals(2, rotated.path("version").asInt());

        // what each says when asked for a name the sidecar does not map
        Run.Result unknown = bash("socket-curl.sh", sock.toString(), "NOPE");
        assertEquals(1, unknown.exit());
        assertTrue(unknown.stderr().contains("404") && unknown.stderr().contains("not mapped"));
        Run.Result notInFile = bash("read-dotenv.sh", env, "NOPE");
        assertEquals(1, notInFile.exit());
        assertEquals("read-dotenv: NOPE is not in " + env + "\n", notInFile.stderr());
        Run.Result notInJson = python("read-json.py", json, "NOPE");
        assertEquals(1, notInJson.exit());
        assertEquals("read-json: NOPE is not in " + json + "\n", notInJson.stderr());
        assertEquals(0, p.terminate());
      }
    }
  }

  @Test
  void socketCurlNamesAllowUidsWhenTheSidecarRefusesThePeer(OpenBao bao, @TempDir Path work)
      throws Exception {
    bao.put("app/db", Map.of("username", "app", "password", "pw"));
    long notUs = notOurUid();
    try (TmpfsDir t = new TmpfsDir()) {
      Path cfg = work.resolve("sidecar.yaml");
      Files.writeString(cfg, config(bao, t, "    allow-uids: [" + notUs + "]"));
      Path sock = t.resolve("agent.sock");
      try (SidecarProcess p =
          SidecarProcess.start(
              work, Map.of("BAO_TOKEN", bao.rootToken()), "run", "-c", cfg.toString())) {
        awaitStarted(p, t.resolve("app.env"));
        Run.Result denied = bash("socket-curl.sh", sock.toString(), "DB_PASSWORD");
        assertEquals(1, denied.exit());
        assertEquals("", denied.stdout());
        assertTrue(denied.stderr().contains("403"), denied.stderr());
        assertTrue(denied.stderr().contains("outputs.socket.allow-uids"), denied.stderr());
        assertFalse(denied.stderr().contains("\"pw\""), denied.stderr());
        assertEquals(0, p.terminate());
      }
    }
  }

  @Test
  void withoutASidecarEachScriptSaysWhatIsMissing(@TempDir Path work) {
    Run.Result noSocket = bash("socket-curl.sh", work.resolve("none.sock").toString(), "X");
    assertEquals(1, noSocket.exit());
    assertTrue(noSocket.stderr().contains("cannot reach the sidecar at"), noSocket.stderr());
    Run.Result noFile = bash("read-dotenv.sh", work.resolve("none.env").toString(), "X");
    assertEquals(1, noFile.exit());
    assertTrue(noFile.stderr().startsWith("read-dotenv: cannot read "), noFile.stderr());
    Run.Result noJson = python("read-json.py", work.resolve("none.json").toString(), "X");
    assertEquals(1, noJson.exit());
    assertTrue(noJson.stderr().startsWith("read-json: cannot read "), noJson.stderr());
    for (String script : List.of("read-dotenv.sh", "socket-curl.sh", "exec-example.sh")) {
      Run.Result usage = bash(script);
      assertEquals(2, usage.exit(), script);
      assertTrue(usage.stderr().startsWith("usage: " + script), usage.stderr());
    }
    for (String script : List.of("read-json.py", "watch-socket.py")) {
      Run.Result usage = python(script);
      assertEquals(2, usage.exit(), script);
      assertTrue(usage.stderr().startsWith("usage: " + script), usage.stderr());
    }
    Run.Result noWatch = python("watch-socket.py", work.resolve("none.sock").toString(), "X");
    assertEquals(1, noWatch.exit());
    assertTrue(noWatch.stderr().contains("cannot reach the sidecar at"), noWatch.stderr());
  }

  static Run.Result bash(String script, String... args) {
    List<String> cmd = new ArrayList<>(List.of("bash", DIR + script));
    cmd.addAll(List.of(args));
    return Run.run(Map.of(), cmd);
  }

  static Run.Result python(String script, String... args) {
    List<String> cmd = new ArrayList<>(List.of("python3", DIR + script));
    cmd.addAll(List.of(args));
    return Run.run(Map.of(), cmd);
  }

  static String ok(Run.Result r) {
    assertEquals(0, r.exit(), r.all());
    return r.stdout();
  }

  static void awaitOutput(Supplier<Run.Result> run, String expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Run.Result last = run.get();
    while (!expected.equals(last.stdout()) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      last = run.get();
    }
    assertEquals(expected, last.stdout(), last.stderr());
  }

  static void awaitFileContent(Path f, String expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = Files.readString(f);
      if (last.equals(expected)) {
        return;
      }
      Thread.sleep(100);
    }
    assertEquals(expected, last);
  }

  /** With our own uid refused by the socket, readiness shows as the rendered file. */
  static void awaitStarted(SidecarProcess p, Path file) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.exists(file)) {
      assertTrue(p.isAlive(), p.stderr());
      assertTrue(System.nanoTime() < deadline, "no " + file + ":\n" + p.stderr());
      Thread.sleep(100);
    }
  }

  /** A uid other than this process's: a socket allowing only it refuses us. */
  static long notOurUid() throws Exception {
    long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    return uid == 65534 ? 65533 : 65534;
  }
}
