package io.baoinjector.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Runs one of the repository's {@code scripts/ensure-*.sh} installers for a test. */
final class Scripts {
  private Scripts() {}

  /**
   * Runs {@code scripts/NAME} (its messages go to the test's stderr) and returns the one line it
   * prints; when it fails, throws with {@code failure} applied to the script's path.
   */
  static String output(String name, Function<Path, String> failure) {
    Path script = BaoBinary.repoRoot().resolve("scripts").resolve(name);
    try {
      Process p =
          new ProcessBuilder("bash", script.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      boolean ended = p.waitFor(10, TimeUnit.MINUTES);
      if (!ended || p.exitValue() != 0 || out.isEmpty()) {
        p.destroyForcibly();
        String how =
            !ended ? "timed out" : p.exitValue() != 0 ? "exit " + p.exitValue() : "printed nothing";
        throw new IllegalStateException(failure.apply(script) + " [" + how + "]");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
