package example.springcloud;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code java -javaagent:AGENT=OPTIONS ARGS} in a clean environment (PATH and LANG, HOME set to the
 * test's directory), its output in files polled by {@link #awaitLine}.
 */
final class AppJvm implements AutoCloseable {
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private AppJvm(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static AppJvm start(Path work, Path agentJar, String agentOptions, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-javaagent:" + agentJar + "=" + agentOptions);
    cmd.addAll(List.of(args));
    String tag = String.valueOf(System.nanoTime());
    Path out = work.resolve("app-" + tag + ".out");
    Path err = work.resolve("app-" + tag + ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("LANG"));
    pb.environment().put("HOME", work.toString());
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    try {
      return new AppJvm(pb.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int awaitExit(Duration max) throws InterruptedException {
    if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the app did not exit within " + max + ":\n" + output());
    }
    return process.exitValue();
  }

  /** Index of the first stdout line at {@code from} or later that matches, polling the file. */
  int awaitLine(int from, Predicate<String> match, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> lines = lines();
      for (int i = from; i < lines.size(); i++) {
        if (match.test(lines.get(i))) {
          return i;
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError("the app exited with " + process.exitValue() + ":\n" + output());
      }
      Thread.sleep(50); // polling a file: there is no event to wait for
    }
    throw new AssertionError("no matching line from the app within " + max + ":\n" + output());
  }

  List<String> lines() {
    return stdout().lines().toList();
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

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
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
