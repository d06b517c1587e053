package example.springboot;

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
 * The packaged Spring Boot app ({@code target/spring-boot-app.jar}) in its own JVM, optionally with
 * the agent, in a clean environment: PATH, LANG and HOME plus exactly what the test passes, so
 * nothing of the test runner's environment can stand in for OpenBao.
 */
final class AppProcess implements AutoCloseable {
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private AppProcess(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts {@code java [-javaagent:AGENT=AGENT_OPTIONS] -jar spring-boot-app.jar ARGS}; no agent
   * when {@code agentOptions} is null.
   */
  static AppProcess start(
      Path work,
      Path appJar,
      Path agentJar,
      String agentOptions,
      Map<String, String> env,
      String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (agentOptions != null) {
      cmd.add("-javaagent:" + agentJar + "=" + agentOptions);
    }
    cmd.add("-jar");
    cmd.add(appJar.toString());
    cmd.addAll(List.of(args));
    String tag = String.valueOf(System.nanoTime());
    Path out = work.resolve("app-" + tag + ".out");
    Path err = work.resolve("app-" + tag + ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("LANG"));
    pb.environment().put("HOME", work.toString());
    pb.environment().putAll(env);
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    try {
      return new AppProcess(pb.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the app to exit on its own; returns the exit code. */
  int awaitExit(Duration max) {
    try {
      if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the app did not exit within " + max + ":\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Polls stdout until a line at index {@code from} or later matches; returns that line's index.
   */
  int awaitLine(int from, Predicate<String> match, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> lines = stdout().lines().toList();
      for (int i = from; i < lines.size(); i++) {
        if (match.test(lines.get(i))) {
          return i;
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError("the app exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("no matching line from the app within " + max + ":\n" + output());
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

  /** Both streams, for assertion messages and the no-secret-in-output checks. */
  String output() {
    return "--- stdout\n" + stdout() + "--- stderr\n" + stderr();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
