package io.baoinjector.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README cannot drift from the files it quotes or the pages it links: a code block tagged
 * {@code <!-- from: PATH -->} is exactly that file, every relative link resolves, and every
 * configuration snippet is such a quote.
 */
class ReadmeTest {
  static final String README = Repo.read("README.md");

  @Test
  void everyTaggedBlockIsExactlyTheFileItNames() {
    List<String> mismatches = new ArrayList<>();
    List<Markdown.Block> tagged =
        Markdown.blocks(README).stream().filter(b -> b.from() != null).toList();
    for (Markdown.Block b : tagged) {
      assertTrue(
          Files.isRegularFile(Repo.path(b.from())),
          "README.md:" + b.line() + ": from: " + b.from() + " is not a file");
      if (!Repo.read(b.from()).equals(b.content())) {
        mismatches.add("README.md:" + b.line() + " differs from " + b.from());
      }
    }
    assertEquals(List.of(), mismatches, "copy the file into the README again");
    Set<String> quoted = tagged.stream().map(Markdown.Block::from).collect(Collectors.toSet());
    assertTrue(quoted.contains("examples/demo/sidecar.yaml"), "the quick start quotes the demo");
    assertTrue(quoted.contains("examples/demo/policy.hcl"), quoted.toString());
  }

  @Test
  void everyConfigurationOrCodeSnippetComesFromAFile() {
    for (Markdown.Block b : Markdown.blocks(README)) {
      if (Set.of("yaml", "hcl", "python", "java", "json", "properties").contains(b.info())) {
        assertTrue(
            b.from() != null,
            "README.md:" + b.line() + ": a " + b.info() + " block must quote a file in examples/");
      }
    }
  }

  @Test
  void everyRelativeLinkResolves() {
    List<String> broken = new ArrayList<>();
    for (String link : Markdown.links(README)) {
      if (link.startsWith("http://") || link.startsWith("https://") || link.isEmpty()) {
        continue;
      }
      if (!Files.exists(Repo.path(link))) {
        broken.add(link);
      }
    }
    assertEquals(List.of(), broken, "README.md links to files that do not exist");
  }

  @Test
  void linksTheReferencePagesTheTestsKeepInSync() {
    Set<String> links = Markdown.links(README);
    // docs/configuration.md is checked against the config loader by ConfigDocsTest and against the
    // commands' --help by DocsIT; docs/agent.md against the agent by DocsIT; the environment table
    // and docs/outputs.md's socket API against the sources by ContractDocsTest.
    for (String page :
        List.of(
            "docs/configuration.md",
            "docs/agent.md",
            "docs/outputs.md",
            "docker/README.md",
            "examples/demo/README.md",
            "examples/legacy-app/README.md",
            "examples/non-java/README.md")) {
      assertTrue(links.contains(page), "README.md must link " + page);
    }
  }

  @Test
  void everyExampleHasAReadmeTheMainReadmeLinks() throws Exception {
    Set<String> links = Markdown.links(README);
    try (Stream<java.nio.file.Path> dirs = Files.list(Repo.path("examples"))) {
      for (java.nio.file.Path d : dirs.filter(Files::isDirectory).toList()) {
        String name = d.getFileName().toString();
        if (name.equals("tests") || name.equals("target")) {
          continue; // this module (the examples' tests) and the build's output
        }
        String readme = "examples/" + name + "/README.md";
        assertTrue(Files.isRegularFile(Repo.path(readme)), readme + " is missing");
        assertTrue(links.contains(readme), "README.md must link " + readme);
      }
    }
  }

  @Test
  void theTwoCommandsAreTheOnesThatExist() throws Exception {
    assertTrue(README.contains("\n./demo.sh\n"), "README shows ./demo.sh");
    assertTrue(README.contains("\n./mvnw verify\n"), "README shows ./mvnw verify");
    assertTrue(Files.isExecutable(Repo.path("demo.sh")), "demo.sh is executable");
    // "`.ci/run` calls exactly this": its one Maven call is verify, no other goals or skips
    List<String> mvn = Repo.read(".ci/run").lines().filter(l -> l.startsWith("./mvnw")).toList();
    assertEquals(List.of("./mvnw verify -B -ntp"), mvn);
  }

  @Test
  void everyNonJavaExampleIsDocumentedInItsReadme() throws Exception {
    String readme = Repo.read("examples/non-java/README.md");
    try (Stream<java.nio.file.Path> files = Files.list(Repo.path("examples/non-java"))) {
      for (java.nio.file.Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!name.equals("README.md")) {
          assertTrue(readme.contains(name), "examples/non-java/README.md must explain " + name);
          assertTrue(README.contains(name), "README.md must mention " + name);
        }
      }
    }
    assertFalse(readme.isBlank());
  }
}
