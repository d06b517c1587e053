package io.baoinjector.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.config.Fixtures;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.UnixHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The packaged jar through the real launcher: real process, real exit codes, real stderr. */
@Timeout(300)
class LauncherIT {
  private static final Map<String, String> ENV = Map.of("BAO_TOKEN", Fixtures.CANARY_TOKEN);

  @Test
  void versionComesFromThePackagedJar() throws Exception {
    Launcher r = Launcher.run(Launcher.script(), Map.of(), "--version");
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.out.matches("bao-injector \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), r.out);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"syntax-error.yaml", "unknown-nested-key.yaml", "socket-path-too-long.yaml"})
  void badConfigExits2WithOneLine(String name) throws Exception {
    Path file = Fixtures.dir("bad-config").resolve(name);
    Launcher r = Launcher.run(Launcher.script(), ENV, "check", "-c", file.toString());
    assertEquals(2, r.exit, r.toString());
    assertEquals("bao-injector: " + Fixtures.expectedMessage(file) + "\n", r.err);
    assertFalse(r.err.contains("\tat "));
  }

  @Test
  void goodConfigExits0() throws Exception {
    Path file = Fixtures.dir("good-config").resolve("full.yaml");
    Launcher r = Launcher.run(Launcher.script(), ENV, "check", "-c", file.toString());
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.out.startsWith(file + ": ok\n"), r.out);
    assertEquals("", r.err);
  }

  @Test
  void usageErrorExits2() throws Exception {
    Launcher r = Launcher.run(Launcher.script(), Map.of(), "check", "--bogus");
    assertEquals(2, r.exit, r.toString());
    assertEquals(
        "bao-injector: Unknown option: '--bogus'\nTry 'bao-injector check --help' for usage.\n",
        r.err);
  }

  /**
   * The JVM's default for SIGHUP is to run the shutdown hooks and exit 129; {@code run} traps it (a
   * refresh), and the launcher execs the JVM, so the signal reaches the trap. OpenBao is not
   * needed: with none reachable {@code run} keeps retrying, and SIGHUP waits for its next retry.
   */
  @Test
  void sighupToRunThroughTheLauncherRefreshesAndDoesNotStopIt(@TempDir Path work) throws Exception {
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      Path cfg = work.resolve("sidecar.yaml");
      Files.writeString(
          cfg,
          """
          openbao:
            address: http://127.0.0.1:1
          secrets:
            A: secret/app#a
          outputs:
            socket:
              path: %s
          """
              .formatted(sock));
      Path err = work.resolve("err");
      ProcessBuilder pb =
          new ProcessBuilder("sh", Launcher.script().toString(), "run", "-c", cfg.toString());
      pb.environment().clear();
      pb.environment().put("PATH", System.getenv("PATH"));
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      pb.environment().putAll(ENV);
      Process p =
          pb.redirectOutput(work.resolve("out").toFile()).redirectError(err.toFile()).start();
      try {
        awaitStarting(p, sock); // the socket is up, so the trap is installed
        kill("HUP", p.pid());
        awaitLog(p, err, "SIGHUP: re-reading every KV path now");
        assertEquals(503, UnixHttp.get(sock, "/v1/health").status(), "still serving");
        kill("TERM", p.pid());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), Files.readString(err));
        assertEquals(0, p.exitValue(), "not 129 (SIGHUP's default): " + Files.readString(err));
      } finally {
        p.destroyForcibly();
      }
    }
  }

  private static void awaitStarting(Process p, Path sock) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      assertTrue(p.isAlive(), "run exited with " + (p.isAlive() ? "" : p.exitValue()));
      try {
        if (UnixHttp.get(sock, "/v1/health").status() == 503) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      assertTrue(System.nanoTime() < deadline, "the socket never answered");
      Thread.sleep(50);
    }
  }

  private static void awaitLog(Process p, Path err, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(err).contains(text)) {
      assertTrue(p.isAlive(), "run exited with " + (p.isAlive() ? "" : p.exitValue()));
      assertTrue(System.nanoTime() < deadline, "never logged: " + text);
      Thread.sleep(50);
    }
  }

  private static void kill(String signal, long pid) throws Exception {
    Process k = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).inheritIO().start();
    assertTrue(k.waitFor(30, TimeUnit.SECONDS) && k.exitValue() == 0, "kill -s " + signal);
  }
}
