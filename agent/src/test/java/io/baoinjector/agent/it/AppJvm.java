package io.baoinjector.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A forked application JVM running {@code Probe}, driven line by line over stdin/stdout. */
final class AppJvm implements AutoCloseable {
  private static final String EOF = "\u0000eof";
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final StringBuffer stderr = new StringBuffer();
  private final Thread stderrPump;

  private AppJvm(Process process) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    pump(process.getInputStream(), line -> stdout.add(line), () -> stdout.add(EOF));
    stderrPump = pump(process.getErrorStream(), this::stderrLine, () -> {});
  }

  /**
   * Starts {@code java [jvmArgs] -cp classpath Probe} with {@code env} added to this environment.
   */
  static AppJvm start(
      Path javaHome, List<String> jvmArgs, String classpath, Map<String, String> env)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaHome.resolve("bin/java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add("Probe");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("BAO_INJECTOR_SOCKET");
    pb.environment().remove("BAO_INJECTOR_FILE");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    // names the tests manage must not leak in from the machine running the tests
    for (String name :
        List.of("DB_PASSWORD", "DB_USER", "NEW_KEY", "OLD_ONLY", "ADDED", "PLAIN_VAR")) {
      pb.environment().remove(name);
    }
    pb.environment().putAll(env);
    return new AppJvm(pb.start());
  }

  private static Thread pump(
      InputStream in, java.util.function.Consumer<String> sink, Runnable end) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  sink.accept(line);
                }
              } catch (IOException ignored) {
                // process gone
              } finally {
                end.run();
              }
            });
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The next stdout line, failing the test with stderr if there is none within 60 s. */
  String nextLine() throws InterruptedException {
    String line = stdout.poll(60, TimeUnit.SECONDS);
    if (line == null || line.equals(EOF)) {
      fail("the app printed no line (exit " + exitCodeOrRunning() + "); stderr:\n" + stderr());
    }
    return line;
  }

  void awaitReady() throws InterruptedException {
    assertEquals("ready", nextLine(), () -> "stderr:\n" + stderr());
  }

  /** Sends one Probe command and returns its answer. */
  String ask(String command) throws IOException, InterruptedException {
    stdin.write(command + "\n");
    stdin.flush();
    String line = nextLine();
    if (!line.startsWith("= ")) {
      fail("unexpected output '" + line + "'; stderr:\n" + stderr());
    }
    return line.substring(2);
  }

  /** Asks repeatedly until the answer satisfies {@code done} (async effects), up to 60 s. */
  String await(String command, Predicate<String> done) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last;
    do {
      last = ask(command);
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    fail("'" + command + "' still answers '" + last + "' after 60 s; stderr:\n" + stderr());
    return last;
  }

  String await(String command, String expected) throws IOException, InterruptedException {
    return await(command, expected::equals);
  }

  /** Waits for the process to end and returns its exit code (stdout/stderr fully read). */
  int waitFor() throws InterruptedException {
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("the app did not exit; stderr:\n" + stderr());
    }
    stderrPump.join(10_000);
    return process.exitValue();
  }

  List<String> remainingStdout() {
    List<String> lines = new ArrayList<>();
    stdout.drainTo(lines);
    lines.remove(EOF);
    return lines;
  }

  String stderr() {
    return stderr.toString();
  }

  /** Waits (60 s at most) for a stderr line containing {@code text}: the agent's own report. */
  void awaitStderr(String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    synchronized (stderr) {
      for (long left; stderr.indexOf(text) < 0; stderr.wait(left / 1_000_000 + 1)) {
        left = deadline - System.nanoTime();
        if (left <= 0) {
          fail("no '" + text + "' on stderr after 60 s; stderr:\n" + stderr);
        }
      }
    }
  }

  private void stderrLine(String line) {
    synchronized (stderr) {
      stderr.append(line).append('\n');
      stderr.notifyAll();
    }
  }

  private String exitCodeOrRunning() {
    return process.isAlive() ? "still running" : String.valueOf(process.exitValue());
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      try {
        stdin.write("exit\n");
        stdin.flush();
      } catch (IOException ignored) {
        // already closing
      }
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    stderrPump.join(10_000);
  }
}
