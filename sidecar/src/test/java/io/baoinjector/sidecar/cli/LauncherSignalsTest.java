package io.baoinjector.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.output.exec.ExecMain;
import io.baoinjector.testkit.Await;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code exec}'s signal handling through the real launcher script and a real JVM: the launcher's
 * JVM options and environment are part of what is tested. The jar is a manifest whose main class is
 * {@link ExecMain} (ExecRunner with a fixed snapshot), so no OpenBao is needed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LauncherSignalsTest {
  static final long DEADLINE_SECONDS = 60;
  @TempDir Path dir;
  Process sidecar;
  long childPid = -1;

  @AfterEach
  void cleanUp() {
    if (sidecar != null) {
      sidecar.destroyForcibly();
    }
    if (childPid > 0) {
      ProcessHandle.of(childPid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  Path execMainJar() throws IOException {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ExecMain.class.getName());
    List<String> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Path.of(entry).toUri().toString());
    }
    m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
    Path jar = dir.resolve("exec-main.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out, m)) {
      j.flush();
    }
    return jar;
  }

  /** Starts bin/bao-injector; the script execs java, so its pid is the sidecar JVM's. */
  void start(String childScript) throws IOException {
    start(childScript, Map.of());
  }

  void start(String childScript, Map<String, String> env) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
            "sh", Launcher.script().toString(), "exec", "--", "sh", "-c", childScript);
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv("PATH"));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("BAO_INJECTOR_JAR", execMainJar().toString());
    pb.environment().put("BAO_INJECTOR_VM_LOG", dir.resolve("vm.log").toString());
    pb.environment().putAll(env);
    // stdout is what the child and the sidecar share; stderr not INHERIT, so that a leftover
    // child holding it cannot stall the build
    sidecar =
        pb.redirectOutput(dir.resolve("out").toFile())
            .redirectError(dir.resolve("err").toFile())
            .start();
  }

  String read(String name) throws IOException {
    Path p = dir.resolve(name);
    return Files.exists(p) ? Files.readString(p) : "";
  }

  void await(String file, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    while (!read(file).contains(text)) {
      assertTrue(sidecar.isAlive(), "the sidecar died: " + read("err"));
      assertTrue(
          System.nanoTime() < deadline,
          "never saw ["
              + text
              + "] in "
              + file
              + ": "
              + read(file)
              + "\nstderr: "
              + read("err")
              + "\nsidecar: "
              + sidecar.info().arguments().map(List::of).orElse(List.of()));
      Thread.sleep(20);
    }
  }

  /** The child's pid from its "ready PID ..." line. */
  long awaitReady() throws Exception {
    await("out", "\n");
    String first = read("out").lines().findFirst().orElse("");
    assertTrue(first.startsWith("ready "), first);
    return Long.parseLong(first.split(" ")[1]);
  }

  static void kill(String signal, long pid) throws Exception {
    Process k = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).inheritIO().start();
    assertTrue(k.waitFor(30, TimeUnit.SECONDS) && k.exitValue() == 0, "kill -s " + signal);
  }

  @Test
  void usr1AndUsr2ReachTheChildAndQuitDumpsThreadsToTheVmLogNotToStdout() throws Exception {
    start(
        "trap 'echo usr1' USR1; trap 'echo usr2' USR2; trap 'echo term; exit 3' TERM;"
            + " echo \"ready $$ V=$V SR=${_JAVA_SR_SIGNUM:-unset}\"; while :; do sleep 0.1; done");
    childPid = awaitReady();
    assertTrue(
        read("out").startsWith("ready " + childPid + " V=one SR=unset\n"),
        "the child gets the values, not the sidecar's _JAVA_SR_SIGNUM: " + read("out"));

    kill("USR1", sidecar.pid());
    await("out", "usr1\n");
    kill("USR2", sidecar.pid());
    await("out", "usr1\nusr2\n");
    assertTrue(sidecar.isAlive(), "the sidecar survives USR1 and USR2: " + read("err"));

    kill("QUIT", sidecar.pid());
    await("vm.log", "Full thread dump");
    assertFalse(read("out").contains("thread dump"), read("out"));
    assertFalse(read("err").contains("Full thread dump"), "stderr is the child's too");
    assertEquals("ready " + childPid + " V=one SR=unset\nusr1\nusr2\n", read("out"));
    assertTrue(sidecar.isAlive(), "the sidecar survives QUIT");
    assertTrue(ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false));

    kill("TERM", sidecar.pid());
    assertTrue(sidecar.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS));
    assertEquals(3, sidecar.exitValue(), "the child's exit code: " + read("err"));
    assertFalse(read("err").contains("hs_err"), read("err"));
  }

  @Test
  void aSigkilledSidecarTakesItsChildWithIt() throws Exception {
    start("echo \"ready $$\"; exec sleep 600");
    childPid = awaitReady();
    assertTrue(alive(childPid), "child runs");
    kill("KILL", sidecar.pid());
    assertTrue(sidecar.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS));
    long t0 = System.nanoTime();
    long deadline = t0 + TimeUnit.SECONDS.toNanos(10);
    while (alive(childPid)) {
      assertTrue(
          System.nanoTime() < deadline, "child " + childPid + " outlived its sidecar by 10 s");
      Thread.sleep(20);
    }
    System.out.printf(
        "LauncherSignalsTest: child gone %d ms after the sidecar's SIGKILL was reaped%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  /** A restart comes from another thread than the first start; that child must die too. */
  @Test
  void aChildRestartedOnChangeAlsoDiesWithASigkilledSidecar() throws Exception {
    Path trigger = dir.resolve("change-now");
    start(
        "echo \"ready $$ V=$V\"; exec sleep 600",
        Map.of("EXEC_MAIN_RESTART_ON", trigger.toString()));
    long first = awaitReady();
    Files.writeString(trigger, "");
    await("out", "V=two\n");
    String second = read("out").lines().filter(l -> l.endsWith("V=two")).findFirst().orElseThrow();
    childPid = Long.parseLong(second.split(" ")[1]);
    assertFalse(alive(first), "the first child was stopped for the restart");
    assertTrue(alive(childPid), "the restarted child runs");
    kill("KILL", sidecar.pid());
    assertTrue(sidecar.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS));
    Await.until(
        Duration.ofSeconds(10),
        () -> "restarted child outlived its sidecar by 10 s",
        () -> !alive(childPid));
  }

  /** Alive: /proc/PID exists and is not a zombie (an orphan's reaper may be slow to reap it). */
  static boolean alive(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    String s;
    try {
      s = Files.readString(stat);
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    }
    // "PID (comm) STATE ...": the state follows the last ')'
    return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
  }
}
