package io.baoinjector.sidecar.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The config fixtures under {@code src/test/resources}, and their expected messages. */
public final class Fixtures {
  /** A token value that must never show up in any message. */
  public static final String CANARY_TOKEN = "s.CANARY-token-7f3a9c";

  private Fixtures() {}

  public static Path dir(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every {@code bad-config/*.yaml}, sorted by name. */
  public static List<Path> badConfigs() {
    try (Stream<Path> s = Files.list(dir("bad-config"))) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The message a bad fixture must produce when loaded from {@code file}: its {@code # expect:}
   * line, written with the bare file name, with that name replaced by the path actually loaded.
   */
  public static String expectedMessage(Path file) {
    String first;
    try (Stream<String> lines = Files.lines(file)) {
      first = lines.findFirst().orElse("");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String marker = "# expect: ";
    if (!first.startsWith(marker)) {
      throw new AssertionError(file + ": first line must be '# expect: <message>'");
    }
    String expect = first.substring(marker.length());
    String name = file.getFileName().toString();
    if (!expect.startsWith(name + ":")) {
      throw new AssertionError(file + ": the expected message must start with " + name + ":");
    }
    return file + expect.substring(name.length());
  }

  /**
   * A config line for an {@code infisical} block named {@code name} (a store tests script in
   * memory), its credential files written in {@code dir}: {@code " NAME: {type: infisical, …}\n"}.
   */
  public static String infisicalBlock(String name, Path dir) throws IOException {
    Path id = Files.writeString(dir.resolve("client-id"), "id\n");
    return "  "
        + name
        + ": {type: infisical, address: 'http://127.0.0.1:9', project: p, environment: prod,"
        + " client-id-file: "
        + id
        + ", client-secret-file: "
        + id
        + "}\n";
  }
}
