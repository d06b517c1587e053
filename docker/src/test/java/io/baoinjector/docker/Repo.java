package io.baoinjector.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** Paths into the repository and YAML reading for the tests of {@code docker/}. */
final class Repo {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Repo() {}

  /** The repository root, handed over by the build ({@code baoinjector.root}). */
  static Path root() {
    String root =
        Objects.requireNonNull(
            System.getProperty("baoinjector.root"),
            "system property baoinjector.root is not set: run the tests through Maven");
    return Path.of(root).toAbsolutePath().normalize();
  }

  static Path docker(String relative) {
    return root().resolve("docker").resolve(relative);
  }

  /** The project version, handed over by the build ({@code baoinjector.version}). */
  static String version() {
    return Objects.requireNonNull(
        System.getProperty("baoinjector.version"),
        "system property baoinjector.version is not set: run the tests through Maven");
  }

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse YAML", e);
    }
  }

  /** The elements of a YAML list as text. */
  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /**
   * The one of {@code mounts} whose mount point ({@code mountPoint}) contains {@code path}, the
   * longest when several do; null when none does.
   */
  static <M> M mountFor(Iterable<M> mounts, Function<M, String> mountPoint, String path) {
    M best = null;
    for (M m : mounts) {
      String at = mountPoint.apply(m);
      if ((path + "/").startsWith(at + "/")
          && (best == null || at.length() > mountPoint.apply(best).length())) {
        best = m;
      }
    }
    return best;
  }

  /** Every document of a multi-document YAML file ({@code ---} separated), empty ones skipped. */
  static List<JsonNode> yamlDocuments(Path file) {
    List<JsonNode> docs = new ArrayList<>();
    ObjectReader reader = YAML.readerFor(JsonNode.class);
    try (var it = reader.<JsonNode>readValues(Files.readString(file))) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return docs;
  }
}
