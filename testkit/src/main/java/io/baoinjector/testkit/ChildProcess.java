package io.baoinjector.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process in a clean environment — PATH and LANG, HOME set to its work dir, plus exactly what the
 * test passes, so nothing of the test runner's environment (a BAO_* variable, a password) can stand
 * in for what the test supplies — with stdout and stderr in two files of that dir, read whole on
 * each call.
 */
public final class ChildProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private ChildProcess(String name, Process process, Path stdout, Path stderr) {
    this.name = name;
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts {@code command} in {@code dir} with {@code env}; {@code name} names the output files
   * ({@code NAME-NANOS.out}, {@code .err}) and the process in assertion messages.
   */
  public static ChildProcess start(
      String name, Path dir, List<String> command, Map<String, String> env) {
    try {
      Files.createDirectories(dir);
      String tag = name + "-" + System.nanoTime();
      Path out = dir.resolve(tag + ".out");
      Path err = dir.resolve(tag + ".err");
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
      pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("LANG"));
      pb.environment().put("HOME", dir.toString());
      pb.environment().putAll(env);
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      return new ChildProcess(name, pb.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code java JVM_ARGS}, with the JVM that runs the tests. */
  public static List<String> java(List<String> jvmArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    return cmd;
  }

  public String name() {
    return name;
  }

  public Process process() {
    return process;
  }

  public String stdout() {
    return read(stdout);
  }

  public String stderr() {
    return read(stderr);
  }

  public List<String> stdoutLines() {
    return stdout().lines().toList();
  }

  /** Both streams, for assertion messages and the no-secret-in-output checks. */
  public String output() {
    return "--- " + name + " stdout\n" + stdout() + "--- stderr\n" + stderr();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits for the process to exit on its own; returns the exit code. */
  public int awaitExit(Duration max) {
    try {
      if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " did not exit within " + max + ":\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Polls stdout until a line at index {@code from} or later matches; returns that index. */
  public int awaitLine(int from, Predicate<String> match, Duration max) {
    return await(stdout, from, match, max);
  }

  /** The same for stderr, where the agent writes. */
  public int awaitStderrLine(int from, Predicate<String> match, Duration max) {
    return await(stderr, from, match, max);
  }

  private int await(Path file, int from, Predicate<String> match, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> lines = read(file).lines().toList();
      for (int i = from; i < lines.size(); i++) {
        if (match.test(lines.get(i))) {
          return i;
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output());
      }
      OpenBao.sleep(50); // polling a file: there is no event to wait for
    }
    throw new AssertionError("no matching line from " + name + " within " + max + ":\n" + output());
  }

  /** SIGTERM, 20 s to exit, then SIGKILL. */
  @Override
  public void close() {
    stop(process, 20);
  }

  /** SIGTERM to a live {@code process}, {@code graceSeconds} to exit, then SIGKILL. */
  static void stop(Process process, long graceSeconds) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL (a crash), and up to 10 s for the process to go. */
  static void kill(Process process) {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
