package io.baoinjector.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real sidecar as a separate process ({@code java FLAGS -jar bao-injector-sidecar-*-all.jar},
 * FLAGS as the launcher passes them), built by {@code package} before the integration tests run.
 * Output goes to files in the work dir.
 */
public final class SidecarProcess implements AutoCloseable {
  private final ChildProcess child;
  private final Process process;

  private SidecarProcess(ChildProcess child) {
    this.child = child;
    this.process = child.process();
  }

  /** The packaged sidecar jar. */
  public static Path jar() {
    Path target = BaoBinary.repoRoot().resolve("sidecar/target");
    try (DirectoryStream<Path> ds =
        Files.newDirectoryStream(target, "bao-injector-sidecar-*-all.jar")) {
      for (Path p : ds) {
        return p;
      }
    } catch (IOException e) {
      // fall through
    }
    throw new IllegalStateException(
        "no sidecar jar in " + target + ": run ./mvnw -pl sidecar -am package first");
  }

  /**
   * The JVM flags {@code sidecar/bin/bao-injector} always passes (its last {@code exec "$java"}
   * line), so every test runs the sidecar as users do: with a 64 MiB heap, C1 only, small direct
   * memory. Read from the script, so the two cannot drift apart.
   */
  public static List<String> shippedJvmFlags() {
    Path script = BaoBinary.repoRoot().resolve("sidecar/bin/bao-injector");
    String text;
    try {
      text = Files.readString(script);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the launcher " + script, e);
    }
    String marker = "exec \"$java\" ";
    int at = text.lastIndexOf(marker);
    int end = text.indexOf("\"$@\"", at);
    if (at < 0 || end < 0) {
      throw new IllegalStateException(script + ": no line `exec \"$java\" FLAGS \"$@\"`");
    }
    String flags = text.substring(at + marker.length(), end).replace("\\\n", " ").trim();
    return List.of(flags.split("\\s+"));
  }

  /** The command line that runs the sidecar with {@code args}, with the shipped JVM flags. */
  public static List<String> command(String... args) {
    return command(List.of(), args);
  }

  /**
   * The same with {@code jvmFlags} after the shipped ones, where the launcher puts {@code
   * JAVA_OPTS}.
   */
  public static List<String> command(List<String> jvmFlags, String... args) {
    List<String> cmd = ChildProcess.java(shippedJvmFlags());
    cmd.addAll(jvmFlags);
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * Starts {@code bao-injector ARGS} in {@code dir} with {@code env} added to a clean environment
   * (PATH, LANG and HOME only, so no BAO_* of the test runner leaks in: see {@link ChildProcess}).
   */
  public static SidecarProcess start(Path dir, Map<String, String> env, String... args) {
    return start(dir, env, List.of(), args);
  }

  /** The same with {@code jvmFlags} added as {@link #command(List, String...)} adds them. */
  public static SidecarProcess start(
      Path dir, Map<String, String> env, List<String> jvmFlags, String... args) {
    return new SidecarProcess(ChildProcess.start("sidecar", dir, command(jvmFlags, args), env));
  }

  /**
   * {@code bao-injector run -c CONFIG} with {@code env}, once its {@code socket} answers {@code
   * /v1/health} with 200; stopped again if it never does.
   */
  public static SidecarProcess startReady(
      Path dir, Map<String, String> env, Path config, Path socket) {
    SidecarProcess sidecar = start(dir, env, "run", "-c", config.toString());
    try {
      sidecar.awaitReady(socket);
      return sidecar;
    } catch (RuntimeException | Error e) {
      sidecar.close();
      throw e;
    }
  }

  /** Runs a one-shot command to completion; returns its exit code and output. */
  public static Result runToEnd(Path dir, Map<String, String> env, String... args) {
    try (SidecarProcess p = start(dir, env, args)) {
      if (!p.process.waitFor(120, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "bao-injector " + String.join(" ", args) + " did not finish:\n" + p.stderr());
      }
      return new Result(p.process.exitValue(), p.stdout(), p.stderr());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A finished command. */
  public record Result(int exit, String stdout, String stderr) {}

  public String stdout() {
    return child.stdout();
  }

  public String stderr() {
    return child.stderr();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits until {@code socket}'s {@code /v1/health} answers and {@code ready} accepts the body. */
  public UnixHttp.Response awaitHealth(
      Path socket, Predicate<UnixHttp.Response> ready, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    UnixHttp.Response last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("sidecar exited with " + process.exitValue() + ":\n" + stderr());
      }
      try {
        last = UnixHttp.get(socket, "/v1/health");
        if (ready.test(last)) {
          return last;
        }
      } catch (IOException | RuntimeException e) {
        // not up yet
      }
      OpenBao.sleep(100);
    }
    throw new AssertionError("sidecar health never matched; last " + last + "\n" + stderr());
  }

  /** Waits for a 200 from {@code /v1/health}. */
  public UnixHttp.Response awaitReady(Path socket) {
    return awaitHealth(socket, r -> r.status() == 200, Duration.ofSeconds(60));
  }

  /** SIGTERM, then waits; returns the exit code. */
  public int terminate() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("sidecar ignored SIGTERM for 30s:\n" + stderr());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGKILL (a crash). */
  public void kill() {
    ChildProcess.kill(process);
  }

  @Override
  public void close() {
    kill();
  }
}
