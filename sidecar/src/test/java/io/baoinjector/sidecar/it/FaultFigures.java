package io.baoinjector.sidecar.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Fault scenarios record what they measured, one line each, in {@code target/fault-figures.txt}
 * (the source of docs/reliability.md's table). Figures are recorded, not asserted.
 */
final class FaultFigures {
  private FaultFigures() {}

  static void record(String scenario, String... figures) {
    String line = "FAULT-FIGURES scenario=" + scenario + " " + String.join(" ", figures) + "\n";
    System.out.print(line);
    try {
      Files.writeString(
          Path.of("target", "fault-figures.txt"),
          line,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
