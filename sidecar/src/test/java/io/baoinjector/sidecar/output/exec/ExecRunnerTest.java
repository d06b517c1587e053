package io.baoinjector.sidecar.output.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.output.OnChange;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.sidecar.util.Jitter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ExecRunnerTest {
  static final Map<String, String> PATH = Map.of("PATH", System.getenv("PATH"));

  @TempDir Path dir;
  SnapshotHub hub = new SnapshotHub("i", java.time.Clock.systemUTC());

  static Map<String, Snapshot.Entry> entries(String... kv) {
    Map<String, Snapshot.Entry> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put(kv[i], new Snapshot.Entry(SecretValue.of(kv[i + 1]), 1, "secret/x#k", Instant.now()));
    }
    return m;
  }

  Snapshot publish(String... kv) {
    return hub.publish(entries(kv), Map.of(), Set.of(), false, true);
  }

  ExecRunner runner(List<String> cmd, Map<String, String> real, Set<String> pass, OnChange p) {
    return new ExecRunner(
        cmd, pass, p, Duration.ofSeconds(30), real, files(), false, Jitter.NONE, null);
  }

  ExecRunner sh(String script, OnChange p) {
    return runner(List.of("sh", "-c", script), PATH, Set.of(), p);
  }

  /** Starts {@code r} on the first snapshot {@code kv}, with {@code r} listening for the next. */
  CompletableFuture<Integer> listenAndRun(ExecRunner r, String... kv) {
    hub.addListener(r);
    return runAsync(r, publish(kv));
  }

  ChildOutput files() {
    return files(dir);
  }

  /** {@code dir/out} and {@code dir/err}, appended to. */
  static ChildOutput files(Path dir) {
    return ChildOutput.redirect(
        ProcessBuilder.Redirect.appendTo(dir.resolve("out").toFile()),
        // not INHERIT: a leftover child holding the fork's stderr would stall the build
        ProcessBuilder.Redirect.appendTo(dir.resolve("err").toFile()));
  }

  String out() throws IOException {
    return read(dir.resolve("out"));
  }

  void awaitOut(String expected) throws Exception {
    awaitContent(dir.resolve("out"), expected);
  }

  static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "";
  }

  /**
   * Polls {@code file}, which the child's output pump appends to, until it reads {@code expected}.
   */
  static void awaitContent(Path file, String expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!read(file).equals(expected)) {
      assertTrue(
          System.nanoTime() < deadline,
          "output never became [" + expected + "]: [" + read(file) + "]");
      Thread.sleep(20);
    }
  }

  /** Runs the child on another thread: the test publishes and signals while it runs. */
  static CompletableFuture<Integer> runAsync(ExecRunner r, Snapshot first) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return r.run(first);
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
  }

  @Test
  void childSeesMappedValuesAndItsExitCodeIsReturned() throws Exception {
    Snapshot s = publish("DB_PASSWORD", "it's $x ✓", "bad-name", "skipped");
    ExecRunner r = sh("echo \"$DB_PASSWORD\"; exit 7", OnChange.NONE);
    assertEquals(7, r.run(s));
    assertEquals("it's $x ✓\n", out());
  }

  @Test
  void sidecarCredentialsAreStrippedUnlessPassed() throws Exception {
    Map<String, String> real = new LinkedHashMap<>();
    real.put("PATH", System.getenv("PATH"));
    real.put("HOME", "/home/app");
    real.put("BAO_TOKEN", "s.canary");
    real.put("VAULT_TOKEN", "hvs.canary");
    real.put("BAO_ROLE_ID", "r");
    real.put("VAULT_SECRET_ID", "s");
    real.put("BAO_ADDR", "http://bao:8200");
    real.put("DB_PASSWORD", "old");
    ExecRunner r =
        runner(
            List.of("sh", "-c", "env | sort | grep -E '^(HOME|BAO_|VAULT_|DB_)'"),
            real,
            Set.of("BAO_ADDR"),
            OnChange.NONE);
    assertEquals(0, r.run(publish("DB_PASSWORD", "new")));
    assertEquals("BAO_ADDR=http://bao:8200\nDB_PASSWORD=new\nHOME=/home/app\n", out());
  }

  @Test
  void strippedListCoversBothSpellings() {
    for (String n :
        List.of(
            "BAO_TOKEN",
            "VAULT_TOKEN",
            "BAO_ROLE_ID",
            "BAO_SECRET_ID",
            "VAULT_ROLE_ID",
            "VAULT_SECRET_ID",
            "VAULT_ADDR",
            "BAO_NAMESPACE",
            "VAULT_CACERT")) {
      assertTrue(ChildEnvironment.STRIPPED.contains(n), n);
    }
    assertFalse(ChildEnvironment.STRIPPED.contains("PATH"));
  }

  @Test
  void commandNotFoundIsOneClearError() {
    ExecRunner r = runner(List.of("/nonexistent/cmd"), Map.of(), Set.of(), OnChange.NONE);
    IOException e = assertThrows(IOException.class, () -> r.run(publish("A", "1")));
    assertTrue(e.getMessage().startsWith("exec: cannot start /nonexistent/cmd: "), e.getMessage());
  }

  @Test
  void aCommandThatCannotStartIsNamedOnceWithTheReason() throws Exception {
    Path notExecutable = Files.writeString(dir.resolve("script"), "echo hi\n");
    String path = System.getenv("PATH");
    assertEquals("no such file", ChildLauncher.problem("/nonexistent/cmd", path));
    assertEquals("is a directory", ChildLauncher.problem(dir.toString(), path));
    assertEquals(
        "not executable (chmod +x it)", ChildLauncher.problem(notExecutable.toString(), "/x"));
    assertEquals("not found on PATH", ChildLauncher.problem("no-such-cmd-7f3a", path));
    assertEquals("not found on PATH", ChildLauncher.problem("sh", "/nonexistent"));
    assertEquals(null, ChildLauncher.problem("sh", path));
    ExecRunner r =
        runner(List.of("no-such-cmd-7f3a"), Map.of("PATH", path), Set.of(), OnChange.NONE);
    IOException e = assertThrows(IOException.class, () -> r.run(publish("A", "1")));
    assertEquals("exec: cannot start no-such-cmd-7f3a: not found on PATH", e.getMessage());
  }

  @Test
  void theSidecarsSuspendSignalIsNotInherited() throws Exception {
    ExecRunner r =
        runner(
            List.of("sh", "-c", "echo \"${_JAVA_SR_SIGNUM:-unset}\""),
            Map.of("PATH", System.getenv("PATH"), "_JAVA_SR_SIGNUM", "39"),
            Set.of(),
            OnChange.NONE);
    assertEquals(0, r.run(publish("A", "1")));
    assertEquals("unset\n", out());
  }

  @Test
  void restartOnChangeStartsTheChildAgainWithNewValuesOnlyWhenTheyChanged() throws Exception {
    ExecRunner r = sh("echo \"$V\"; exec sleep 600", OnChange.RESTART);
    CompletableFuture<Integer> code = listenAndRun(r, "V", "one");
    awaitOut("one\n");
    long firstPid = r.pid();
    publish("V", "one"); // same content: same revision, no restart
    hub.publish(entries("V", "one"), entries("p", "x"), Set.of(), false, true); // property only
    publish("V", "two");
    awaitOut("one\ntwo\n");
    assertEquals(2, r.starts(), "exactly one restart");
    assertFalse(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false));
    r.forward("TERM");
    assertEquals(143, code.get(60, TimeUnit.SECONDS), "128 + SIGTERM");
  }

  @Test
  void signalHupIsDeliveredToTheChild() throws Exception {
    ExecRunner r =
        sh(
            "trap 'echo hup' HUP; trap 'exit 0' TERM; echo ready; while :; do sleep 0.1; done",
            OnChange.signal("HUP"));
    CompletableFuture<Integer> code = listenAndRun(r, "V", "one");
    awaitOut("ready\n");
    publish("V", "two");
    awaitOut("ready\nhup\n");
    r.forward("HUP"); // what the trapped SIGHUP of the sidecar does
    awaitOut("ready\nhup\nhup\n");
    assertEquals(1, r.starts());
    r.forward("TERM");
    assertEquals(0, code.get(60, TimeUnit.SECONDS));
  }

  @Test
  void anotherSignalCanBeChosen() throws Exception {
    ExecRunner r =
        sh(
            "trap 'echo usr1' USR1; trap 'exit 0' TERM; echo ready; while :; do sleep 0.1; done",
            OnChange.parse("signal:USR1"));
    CompletableFuture<Integer> code = listenAndRun(r, "V", "one");
    awaitOut("ready\n");
    publish("V", "two");
    awaitOut("ready\nusr1\n");
    assertEquals(1, r.starts());
    r.forward("TERM");
    assertEquals(0, code.get(60, TimeUnit.SECONDS));
  }

  @Test
  void aChildIgnoringTermIsKilledOnRestart() throws Exception {
    ExecRunner r =
        new ExecRunner(
            List.of("sh", "-c", "trap '' TERM; echo \"$V\"; while :; do sleep 0.1; done"),
            Set.of(),
            OnChange.RESTART,
            Duration.ofMillis(300),
            PATH,
            files(),
            false,
            Jitter.NONE,
            null);
    CompletableFuture<Integer> code = listenAndRun(r, "V", "a");
    awaitOut("a\n");
    publish("V", "b");
    awaitOut("a\nb\n");
    r.forward("KILL");
    assertEquals(137, code.get(60, TimeUnit.SECONDS));
  }

  @Test
  void onChangeParsesWhatExecOnChangeAccepts() {
    assertEquals(OnChange.NONE, OnChange.parse("none"));
    assertEquals(OnChange.RESTART, OnChange.parse("restart"));
    assertEquals(OnChange.signal("HUP"), OnChange.parse("signal:HUP"));
    assertEquals(OnChange.signal("USR1"), OnChange.parse("signal:SIGUSR1"));
    assertEquals("signal:USR1", OnChange.parse("signal:SIGUSR1").toString());
    // signal names are upper case, as the command line has always taken them
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OnChange.parse("signal:usr1"));
    assertEquals(
        "unknown signal 'usr1'; use one of HUP, INT, QUIT, TERM, USR1, USR2", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OnChange.parse("signal:KILL"));
    e = assertThrows(IllegalArgumentException.class, () -> OnChange.parse("reload"));
    assertEquals(
        "expected restart, signal:HUP (or another signal) or none, got 'reload'", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            runner(
                List.of("true"),
                Map.of(),
                Set.of(),
                OnChange.command(List.of("true"), Duration.ofSeconds(1))),
        "a file's on-change command is no exec action");
  }
}
