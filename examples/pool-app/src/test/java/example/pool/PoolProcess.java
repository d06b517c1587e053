package example.pool;

import java.io.IOException;
import java.io.OutputStream;
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
 * {@link PoolApp} in its own JVM with one HikariCP version on its class path, optionally with the
 * agent, in a clean environment (PATH, LANG, HOME and what the test passes).
 */
final class PoolProcess implements AutoCloseable {
  final String label;
  private final Process process;
  private final OutputStream stdin;
  private final Path stdout;
  private final Path stderr;

  private PoolProcess(String label, Process process, Path stdout, Path stderr) {
    this.label = label;
    this.process = process;
    this.stdin = process.getOutputStream();
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static PoolProcess start(
      String label,
      Path work,
      List<Path> classPath,
      String agent,
      Map<String, String> env,
      String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (agent != null) {
      cmd.add("-javaagent:" + agent);
    }
    cmd.add("-cp");
    cmd.add(String.join(":", classPath.stream().map(Path::toString).toList()));
    cmd.add("example.pool.PoolApp");
    cmd.addAll(List.of(args));
    Path out = work.resolve(label + ".out");
    Path err = work.resolve(label + ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("LANG"));
    pb.environment().put("HOME", work.toString());
    pb.environment().putAll(env);
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    try {
      return new PoolProcess(label, pb.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code mark} to the app's stdin; it prints it before its next query. */
  void mark() throws IOException {
    stdin.write("mark\n".getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  /** Polls stdout until a line at index {@code from} or later matches; returns its index. */
  int awaitLine(int from, Predicate<String> match, Duration max) {
    return await(stdout, from, match, max);
  }

  /** The same for stderr, where the agent writes. */
  int awaitErrLine(Predicate<String> match, Duration max) {
    return await(stderr, 0, match, max);
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
        throw new AssertionError(label + " exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(
        "no matching line from " + label + " within " + max + ":\n" + output());
  }

  List<String> stdoutLines() {
    return read(stdout).lines().toList();
  }

  String stderr() {
    return read(stderr);
  }

  String output() {
    return "--- " + label + " stdout\n" + read(stdout) + "--- stderr\n" + read(stderr);
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
