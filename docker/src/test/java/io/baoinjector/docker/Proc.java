package io.baoinjector.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a short command to completion, output and error merged. */
final class Proc {
  record Result(int exit, String output) {}

  private Proc() {}

  static Result run(List<String> command, Map<String, String> env, Path dir, boolean clearEnv) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    if (clearEnv) {
      pb.environment().clear();
    }
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("still running after 5 minutes: " + command);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static Result run(List<String> command) {
    return run(command, Map.of(), null, false);
  }

  /**
   * Runs one of the repository's ensure-*.sh scripts and returns the last line it printed (the
   * tool's path). Fails the test with the script's own message when it cannot provide the tool.
   */
  static String ensure(String script) {
    Result r = run(List.of("bash", Repo.root().resolve(script).toString()));
    if (r.exit() != 0) {
      throw new IllegalStateException(script + " failed (exit " + r.exit() + "):\n" + r.output());
    }
    String[] lines = r.output().strip().split("\n");
    return lines[lines.length - 1].strip();
  }

  static boolean isRoot() {
    return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
  }
}
