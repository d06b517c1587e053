package io.baoinjector.sidecar.output.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.baoinjector.sidecar.output.OnChange;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.sidecar.util.Jitter;
import io.baoinjector.testkit.Await;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code exec --mask}: real children, their output captured after the mask. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ExecMaskTest {
  static final String M = ConcealingFilter.MARKER_TEXT;
  static final String ONE = "canary-one-5f1e";
  static final String TWO = "canary-two-9c3d";

  @TempDir Path dir;
  SnapshotHub hub = new SnapshotHub("i", java.time.Clock.systemUTC());
  OutputStream out;
  OutputStream err;
  ChildOutput output;

  Snapshot publish(String... kv) {
    return hub.publish(ExecRunnerTest.entries(kv), Map.of(), Set.of(), false, true);
  }

  ExecRunner masked(OnChange policy, String script) throws IOException {
    out = new FileOutputStream(dir.resolve("out").toFile(), true);
    err = new FileOutputStream(dir.resolve("err").toFile(), true);
    output = ChildOutput.masked(6, out, err);
    return new ExecRunner(
        List.of("sh", "-c", script),
        Set.of(),
        policy,
        Duration.ofSeconds(30),
        Map.of("PATH", System.getenv("PATH"), "WORK", dir.toString()),
        output,
        false,
        Jitter.NONE,
        null);
  }

  @AfterEach
  void close() throws IOException {
    if (out != null) {
      out.close();
      err.close();
    }
  }

  String read(String name) throws IOException {
    return ExecRunnerTest.read(dir.resolve(name));
  }

  void awaitOut(String expected) throws Exception {
    ExecRunnerTest.awaitContent(dir.resolve("out"), expected);
  }

  @Test
  void valuesSplitAcrossWritesAreConcealedOnStdoutAndStderrAndTheExitCodeKept() throws Exception {
    // each printf is its own write(2); the value is cut in two in the middle
    ExecRunner r =
        masked(
            OnChange.NONE,
            "printf 'pw=%s' \"${V%????????}\"; printf '%s;' \"${V#???????}\";"
                + " printf '%s\\n' \"$V\" >&2; echo \"port=$PORT\"; exit 7");
    assertEquals(7, r.run(publish("V", ONE, "PORT", "5432")));
    assertEquals("pw=" + M + ";port=5432\n", read("out"), "a value under 6 characters passes");
    assertEquals(M + "\n", read("err"));
    assertFalse(output.pumping(), "the pumps end with the child");
  }

  @Test
  void aProcessLeftBehindHoldingThePipesDoesNotKeepExecWaiting() throws Exception {
    // the background sleep inherits the pipes and outlives the child
    ExecRunner r = masked(OnChange.NONE, "sleep 600 & echo \"$!\"; exit 4");
    assertEquals(
        4,
        r.run(publish("V", ONE)),
        "back after the drain grace, not when the sleep ends (past the timeout)");
    long orphan = Long.parseLong(read("out").strip());
    ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
    Await.until(
        Duration.ofSeconds(60),
        () -> "the pumps end once the pipes' last writer is gone",
        () -> !output.pumping());
  }

  @Test
  void outputWithoutAValuePrefixIsNotHeldBack() throws Exception {
    // the child goes on only once the test saw its line: a held-back line would hang it
    ExecRunner r =
        masked(
            OnChange.NONE,
            "echo ready; while [ ! -e \"$WORK/go\" ]; do sleep 0.05; done; echo \"$V\"");
    CompletableFuture<Integer> code = ExecRunnerTest.runAsync(r, publish("V", ONE));
    awaitOut("ready\n");
    assertFalse(code.isDone(), "the line arrived while the child runs");
    Files.createFile(dir.resolve("go"));
    assertEquals(0, code.get(60, TimeUnit.SECONDS));
    assertEquals("ready\n" + M + "\n", read("out"));
  }

  @Test
  void afterARestartTheNewAndTheOldValueAreConcealed() throws Exception {
    // the second child also prints the first value, which it was never given
    ExecRunner r =
        masked(OnChange.RESTART, "echo \"v=$V\"; echo \"old=" + ONE + "\"; exec sleep 600");
    hub.addListener(r);
    CompletableFuture<Integer> code = ExecRunnerTest.runAsync(r, publish("V", ONE));
    awaitOut("v=" + M + "\nold=" + M + "\n");
    publish("V", TWO);
    awaitOut("v=" + M + "\nold=" + M + "\n" + "v=" + M + "\nold=" + M + "\n");
    assertEquals(2, r.starts());
    r.forward("TERM");
    assertEquals(143, code.get(60, TimeUnit.SECONDS));
    assertFalse(read("out").contains("canary"), read("out"));
    assertFalse(output.pumping());
  }

  @Test
  void aSignalledChildsNewValuesAreConcealedInItsRunningOutput() throws Exception {
    ExecRunner r =
        masked(
            OnChange.signal("HUP"),
            "trap 'echo \""
                + TWO
                + "\"' HUP; trap 'exit 0' TERM; echo ready;"
                + " while :; do sleep 0.05; done");
    hub.addListener(r);
    CompletableFuture<Integer> code = ExecRunnerTest.runAsync(r, publish("V", ONE));
    awaitOut("ready\n");
    publish("V", TWO);
    awaitOut("ready\n" + M + "\n");
    r.forward("TERM");
    assertEquals(0, code.get(60, TimeUnit.SECONDS));
  }
}
