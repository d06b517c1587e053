package io.baoinjector.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./demo.sh} as a user runs it (no TTY, {@code CI=true}): it must succeed, show the live
 * rotation and the non-Java consumers, and leave no process and no work dir behind — also when
 * interrupted with Ctrl-C.
 */
@Timeout(300)
class DemoIT {
  static final Pattern WORK_DIR = Pattern.compile("work dir \\(tmpfs, removed at exit\\): (\\S+)");
  static final Pattern PID = Pattern.compile("\\(pid (\\d+)\\)");
  static final Pattern OPENBAO = Pattern.compile("OpenBao http://127\\.0\\.0\\.1:(\\d+) \\(pid");
  static final Pattern ROTATE =
      Pattern.compile("\\$ bao kv put secret/app/db username=app password=(v2-[0-9a-f]{8})\n");
  static final Pattern FIRST =
      Pattern.compile("\\$ bao kv put secret/app/db username=app password=(v1-[0-9a-f]{8})\n");

  @Test
  void showsTheLiveRotationAndTheNonJavaConsumersAndLeavesNothingBehind(@TempDir Path tmp)
      throws Exception {
    Demo demo = Demo.start(tmp, false);
    int exit = demo.waitFor(Duration.ofSeconds(240));
    String out = demo.output();
    assertEquals(0, exit, out);

    String v1 = group(FIRST, out);
    String v2 = group(ROTATE, out);
    assertTrue(
        out.contains("[legacy-app] DB_USER=app DB_PASSWORD=" + v1 + " | child process sees " + v1),
        "the app reads DB_PASSWORD from OpenBao:\n" + out);
    assertTrue(
        out.contains(
            "[legacy-app] DB_USER=app DB_PASSWORD="
                + v2
                + "   <- changed, no restart | child process sees "
                + v2),
        "the running app prints the rotated value, marked as changed without a restart:\n" + out);
    int rotation = out.indexOf("DB_PASSWORD=" + v2 + "   <- changed");
    String afterRotation = out.substring(rotation);
    assertTrue(afterRotation.contains("read-dotenv.sh\n   " + v2 + "\n"), "bash:\n" + out);
    assertTrue(afterRotation.contains("read-json.py\n   " + v2 + "\n"), "python:\n" + out);
    assertTrue(
        afterRotation.contains(
            "socket-curl.sh\n   {\"name\":\"DB_PASSWORD\",\"value\":\"" + v2 + "\""),
        "curl:\n" + out);
    assertTrue(afterRotation.contains("   DB_USER=app DB_PASSWORD=" + v2 + "\n"), "exec:\n" + out);
    assertTrue(
        afterRotation.contains("   BAO_ADDR in the child: (removed)\n"),
        "exec strips the sidecar's settings:\n" + out);
    assertTrue(out.contains("secret-id file removed: yes"), out);
    assertTrue(out.contains("srw------- agent.sock   -r-------- app.env"), out);
    assertFalse(out.contains("demo: FAILED"), out);

    demo.assertNothingLeft();
    readmeSampleMatches(out);
  }

  /**
   * The README's "What the demo prints" block is a real run: each of its lines appears in this
   * run's output, in order, with the random values and the work dir as the only differences.
   */
  static void readmeSampleMatches(String out) {
    String readme = Repo.read("README.md");
    Markdown.Block sample =
        Markdown.blocks(readme.substring(readme.indexOf("What the demo prints"))).get(0);
    assertEquals("text", sample.info());
    List<String> outLines = out.lines().toList();
    int at = 0;
    for (String line : sample.content().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Pattern p =
          Pattern.compile(
              Pattern.quote(line)
                  .replaceAll("(v[12])-[0-9a-f]{8}", "\\\\E$1-[0-9a-f]{8}\\\\Q")
                  .replaceAll(
                      "/dev/shm/bao-injector-demo\\.[A-Za-z0-9]{6}",
                      "\\\\E/dev/shm/bao-injector-demo\\\\.[A-Za-z0-9]{6}\\\\Q"));
      while (at < outLines.size() && !p.matcher(outLines.get(at)).matches()) {
        at++;
      }
      assertTrue(at < outLines.size(), "README sample line not in the demo's output: " + line);
      at++;
    }
  }

  @Test
  void ctrlCWhileKeptRunningStopsEverything(@TempDir Path tmp) throws Exception {
    Demo demo = Demo.start(tmp, true);
    demo.awaitOutput("demo: ready", Duration.ofSeconds(240));
    String ready = demo.output();
    assertTrue(ready.contains("export BAO_ADDR=http://127.0.0.1:"), ready);
    assertTrue(demo.isAlive(), "--keep stays up:\n" + ready);
    List<Long> pids = pids(ready);
    assertEquals(3, pids.size(), "OpenBao, sidecar and app pids:\n" + ready);
    for (long pid : pids) {
      assertTrue(alive(pid), "pid " + pid + " runs while the demo is kept:\n" + ready);
    }

    demo.interrupt(); // Ctrl-C: SIGINT to the demo's process group
    int exit = demo.waitFor(Duration.ofSeconds(60));
    String out = demo.output();
    assertEquals(130, exit, out);
    assertTrue(
        out.contains("stopping everything the demo started: legacy app sidecar OpenBao"), out);
    demo.assertNothingLeft();
  }

  @Test
  void aFailingStepEndsWithOneLineAndStillCleansUp(@TempDir Path tmp) throws Exception {
    // the real bao, except that writing the policy fails: OpenBao is already running by then
    Path fake = tmp.resolve("bao");
    String real = Run.run(Map.of(), List.of("bash", "scripts/ensure-bao.sh")).stdout().trim();
    Files.writeString(
        fake,
        "#!/bin/sh\n"
            + "if [ \"$1\" = policy ]; then echo 'fake bao: policy write refused' >&2; exit 1; fi\n"
            + "exec '"
            + real
            + "' \"$@\"\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    Demo demo = Demo.start(tmp, false, Map.of("BAO_BIN", fake.toString()));
    int exit = demo.waitFor(Duration.ofSeconds(240));
    String out = demo.output();
    assertEquals(1, exit, out);
    List<String> lines = out.lines().toList();
    int failed = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("demo: FAILED: ")) {
        assertEquals(-1, failed, "one FAILED line:\n" + out);
        failed = i;
      }
    }
    assertTrue(failed >= 0, out);
    assertTrue(lines.get(failed).contains("policy write"), lines.get(failed));
    assertTrue(out.contains("stopping everything the demo started: OpenBao"), out);
    demo.assertNothingLeft();
  }

  /** One run of {@code demo.sh}, in its own session (as a terminal's foreground job would be). */
  static final class Demo {
    final Process process;
    final Path log;

    private Demo(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    static Demo start(Path tmp, boolean keep) throws IOException {
      return start(tmp, keep, Map.of());
    }

    static Demo start(Path tmp, boolean keep, Map<String, String> env) throws IOException {
      Path log = tmp.resolve("demo.out");
      List<String> cmd = new ArrayList<>();
      // A new session, and SIGINT back to its default: a JVM started from a non-interactive shell
      // may inherit SIGINT ignored, and bash cannot trap a signal ignored at its start.
      cmd.add("python3");
      cmd.add("-c");
      cmd.add(
          "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL);"
              + " os.setsid(); os.execv('/bin/bash', ['bash'] + sys.argv[1:])");
      cmd.add(Repo.path("demo.sh").toString());
      if (keep) {
        cmd.add("--keep");
      }
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(Repo.root().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().put("CI", "true");
      pb.environment().putAll(env);
      return new Demo(pb.start(), log);
    }

    String output() throws IOException {
      return Files.readString(log, StandardCharsets.UTF_8);
    }

    boolean isAlive() {
      return process.isAlive();
    }

    int waitFor(Duration max) throws Exception {
      if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
        signal("TERM");
        process.waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError("demo.sh did not finish in " + max + ":\n" + output());
      }
      return process.exitValue();
    }

    void awaitOutput(String marker, Duration max) throws Exception {
      long deadline = System.nanoTime() + max.toNanos();
      while (!output().contains(marker)) {
        if (!process.isAlive()) {
          throw new AssertionError("demo.sh exited " + process.exitValue() + ":\n" + output());
        }
        if (System.nanoTime() > deadline) {
          signal("TERM");
          throw new AssertionError("no '" + marker + "' after " + max + ":\n" + output());
        }
        Thread.sleep(200);
      }
    }

    void interrupt() throws Exception {
      signal("INT");
    }

    private void signal(String sig) throws Exception {
      // the python wrapper exec'd bash: the demo's pid is its process group id
      new ProcessBuilder("kill", "-" + sig, "--", "-" + process.pid())
          .inheritIO()
          .start()
          .waitFor(10, TimeUnit.SECONDS);
    }

    /** The work dir is gone and no process the demo started (or any using its dir) is alive. */
    void assertNothingLeft() throws Exception {
      String out = output();
      Path work = Path.of(group(WORK_DIR, out));
      assertTrue(work.startsWith("/dev/shm"), "the work dir is on tmpfs: " + work);
      assertFalse(Files.exists(work), "the demo removes its work dir " + work);
      String port = group(OPENBAO, out);
      List<String> left = new ArrayList<>();
      for (long pid : pids(out)) {
        if (alive(pid)) {
          left.add(pid + " (a pid the demo printed)");
        }
      }
      ProcessHandle.allProcesses()
          .filter(ProcessHandle::isAlive)
          .forEach(
              h ->
                  h.info()
                      .commandLine()
                      .filter(c -> c.contains(work.toString()) || c.contains("127.0.0.1:" + port))
                      .ifPresent(c -> left.add(h.pid() + " " + c)));
      // a failing run must not leave them running on the CI machine either
      for (String p : left) {
        ProcessHandle.of(Long.parseLong(p.substring(0, p.indexOf(' '))))
            .ifPresent(ProcessHandle::destroyForcibly);
      }
      assertEquals(List.of(), left, "processes left behind by the demo:\n" + out);
    }
  }

  static List<Long> pids(String out) {
    List<Long> pids = new ArrayList<>();
    Matcher m = PID.matcher(out);
    while (m.find()) {
      long pid = Long.parseLong(m.group(1));
      if (!pids.contains(pid)) {
        pids.add(pid);
      }
    }
    return pids;
  }

  /** Alive and not a zombie (a zombie is an exited process its parent has not reaped yet). */
  static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return false;
    }
  }

  static String group(Pattern p, String out) {
    Matcher m = p.matcher(out);
    assertTrue(m.find(), "no " + p + " in:\n" + out);
    return m.group(1);
  }
}
