package io.baoinjector.sidecar.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code sidecar/bin/bao-injector} (or a copy of it) as a real process. */
final class Launcher {
  final int exit;
  final String out;
  final String err;

  private Launcher(int exit, String out, String err) {
    this.exit = exit;
    this.out = out;
    this.err = err;
  }

  static Path repoRoot() {
    String root = System.getProperty("baoinjector.root");
    if (root == null) {
      throw new IllegalStateException(
          "system property baoinjector.root is not set (run via Maven)");
    }
    return Path.of(root);
  }

  static Path script() {
    return repoRoot().resolve("sidecar/bin/bao-injector");
  }

  /** Runs {@code script} with exactly {@code env} (plus PATH) and {@code args}. */
  static Launcher run(Path script, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("sh", script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv("PATH"));
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    // small outputs: read both fully after exit would risk a full pipe only for huge output
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("launcher did not exit: " + cmd);
    }
    return new Launcher(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
  }
}
