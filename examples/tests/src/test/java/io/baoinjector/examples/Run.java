package io.baoinjector.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion in the repository root, output captured to files. */
final class Run {
  private Run() {}

  /** A finished command. */
  record Result(int exit, String stdout, String stderr) {
    String all() {
      return stdout + stderr;
    }
  }

  static Result run(Map<String, String> env, List<String> cmd) {
    try {
      Path out = Files.createTempFile("run-", ".out");
      Path err = Files.createTempFile("run-", ".err");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(cmd)
                .directory(Repo.root().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          throw new AssertionError(cmd + " did not finish in 120s:\n" + Files.readString(err));
        }
        return new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
