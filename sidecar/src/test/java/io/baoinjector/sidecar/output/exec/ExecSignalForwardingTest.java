package io.baoinjector.sidecar.output.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real signals sent to a real JVM running {@link ExecRunner} reach its child. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ExecSignalForwardingTest {
  @TempDir Path dir;

  @Test
  void hupAndTermAreForwardedAndTheChildsExitCodeBecomesTheJvms() throws Exception {
    Path out = dir.resolve("out");
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Process jvm =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ExecMain.class.getName(),
                "sh",
                "-c",
                "trap 'echo hup' HUP; trap 'echo term; exit 3' TERM; echo \"ready $V $$\";"
                    + " while :; do sleep 0.1; done")
            .redirectOutput(out.toFile())
            // not INHERIT: a leftover child holding the fork's stderr would stall the build
            .redirectError(dir.resolve("err").toFile())
            .start();
    long childPid = -1;
    try {
      childPid = awaitReady(out);
      // "ready" is printed by the child, which starts after the JVM trapped its signals.
      kill("HUP", jvm.pid());
      await(out, "hup\n");
      assertTrue(jvm.isAlive(), "the JVM must survive SIGHUP");
      kill("TERM", jvm.pid());
      assertTrue(jvm.waitFor(60, TimeUnit.SECONDS));
      assertEquals(3, jvm.exitValue(), "the child's exit code");
      assertTrue(Files.readString(out).endsWith("hup\nterm\n"), Files.readString(out));
    } finally {
      jvm.destroyForcibly();
      if (childPid > 0) {
        ProcessHandle.of(childPid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  static long awaitReady(Path out) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      String s = Files.exists(out) ? Files.readString(out) : "";
      if (s.startsWith("ready one ") && s.endsWith("\n")) {
        return Long.parseLong(s.substring("ready one ".length()).trim());
      }
      assertTrue(System.nanoTime() < deadline, "child never started: " + s);
      Thread.sleep(20);
    }
  }

  static void kill(String sig, long pid) throws Exception {
    Process k =
        new ProcessBuilder(List.of("kill", "-s", sig, Long.toString(pid))).inheritIO().start();
    assertTrue(k.waitFor(30, TimeUnit.SECONDS));
  }

  static void await(Path p, String text) throws Exception {
    Await.until(
        Duration.ofSeconds(60),
        () -> "never saw [" + text + "]",
        () -> Files.exists(p) && Files.readString(p).endsWith(text));
  }
}
