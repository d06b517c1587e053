package io.baoinjector.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository checkout the tests run in ({@code -Dbaoinjector.root}, set by the parent pom). */
final class Repo {
  private Repo() {}

  static Path root() {
    String root = System.getProperty("baoinjector.root");
    if (root == null || root.isBlank()) {
      throw new IllegalStateException("-Dbaoinjector.root is not set (run through Maven)");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }

  static Path path(String relative) {
    return root().resolve(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(path(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + relative, e);
    }
  }
}
