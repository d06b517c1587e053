package io.baoinjector.sidecar.output.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.metrics.Metrics;
import io.baoinjector.sidecar.snapshot.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a template may reach: mapped values by map lookup, nothing else. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TemplateRendererTest {
  static final String CANARY = FileOutputTest.CANARY;
  static final String TOKEN = "hvs.canary-T0KEN-Zq71";

  Path dir;
  Path tokenFile;
  List<FileOutput> outputs = new ArrayList<>();

  @BeforeEach
  void dirs() throws IOException {
    dir = Files.createTempDirectory(Paths.get("/dev/shm"), "bi-tmpl");
    // Under the working directory, where mustache's default resolver would find it.
    tokenFile = Files.createTempFile(Path.of("target").toAbsolutePath(), "bi-token", ".tmpl");
    Files.writeString(tokenFile, TOKEN);
  }

  @AfterEach
  void cleanup() throws IOException {
    outputs.forEach(FileOutput::stop);
    Files.deleteIfExists(tokenFile);
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  Path template(String text) throws IOException {
    Path t = Files.createTempFile(dir, "t", ".tmpl");
    Files.writeString(t, text);
    return t;
  }

  FileOutput started(Path template) throws IOException {
    FileOutput o =
        new FileOutput(
            1, FileOutputTest.withTemplate(dir.resolve("out.txt"), template), new Metrics());
    o.start();
    outputs.add(o);
    return o;
  }

  static Snapshot snap() {
    return new Snapshot(
        "i",
        1,
        FileOutputTest.entries(Map.of("DB_PASSWORD", CANARY, "USER", "app")),
        FileOutputTest.entries(Map.of("spring.datasource.password", "s&p")),
        Set.of(),
        false,
        true,
        Instant.now());
  }

  String rendered(String text) throws IOException {
    started(template(text)).render(snap());
    return Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
  }

  IOException renderFails(String text) throws IOException {
    FileOutput o = started(template(text));
    IOException e = assertThrows(IOException.class, () -> o.render(snap()));
    assertFalse(Files.exists(dir.resolve("out.txt")), "nothing written");
    assertFalse(e.getMessage().contains(CANARY), e.getMessage());
    assertFalse(e.getMessage().contains(CANARY.toUpperCase()), e.getMessage());
    return e;
  }

  @Test
  void aPartialNamingTheTokenFileIsRefusedAtStartAndNothingLeaks() throws Exception {
    String partial = tokenFile.toString().replaceFirst("\\.tmpl$", "");
    Path t = template("a={{USER}}\n{{> " + partial + "}}\n");
    IOException e = assertThrows(IOException.class, () -> started(t));
    assertEquals(
        "outputs.files[1].template: "
            + t
            + " line 2: {{> "
            + partial
            + "}} includes another template; partials are not supported, write the text inline",
        e.getMessage());
    assertFalse(e.getMessage().contains(TOKEN));
    assertFalse(Files.exists(dir.resolve("out.txt")));
  }

  @Test
  void relativeDynamicPartialsAndInheritanceAreRefusedToo() throws Exception {
    for (String tag : List.of("{{> t}}", "{{>* USER}}", "{{< base}}{{/base}}")) {
      Path t = template(tag);
      IOException e = assertThrows(IOException.class, () -> started(t), tag);
      assertTrue(e.getMessage().contains("partials are not supported"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
  }

  @Test
  void aTemplateOutsideTheWorkingDirectoryRenders() throws Exception {
    assertFalse(dir.startsWith(Path.of("").toAbsolutePath()), "the test needs a directory outside");
    assertEquals(
        "u=app p=" + CANARY + " s=s&p\n",
        rendered("u={{USER}} p={{DB_PASSWORD}} s={{spring.datasource.password}}\n"));
  }

  @Test
  void methodsOfValuesAreNotCalledAndTheMissingCheckNamesThem() throws Exception {
    assertEquals(
        "outputs.files[1].template: {{DB_PASSWORD.toUpperCase}} names no mapped value (add it"
            + " to secrets: or properties:)",
        renderFails("x={{DB_PASSWORD.toUpperCase}}").getMessage());
    assertTrue(
        renderFails("{{#DB_PASSWORD.getBytes}}y{{/DB_PASSWORD.getBytes}}")
            .getMessage()
            .contains("{{#DB_PASSWORD.getBytes}} names no mapped value"));
    assertTrue(
        renderFails("{{DB_PASSWORD.class.name}}")
            .getMessage()
            .contains("{{DB_PASSWORD.class.name}} names no mapped value"));
  }

  @Test
  void everyNameLookedUpIsChecked() throws Exception {
    assertTrue(renderFails("{{#USER}}{{NOPE}}{{/USER}}").getMessage().contains("{{NOPE}} names"));
    assertTrue(renderFails("{{^NOPE}}default{{/NOPE}}").getMessage().contains("{{^NOPE}} names"));
    assertTrue(renderFails("{{#NOPE}}x{{/NOPE}}").getMessage().contains("{{#NOPE}} names"));
    assertTrue(
        renderFails("{{&NOPE}}").getMessage().contains("{{NOPE}} names no mapped value"),
        "unescaped tags too");
  }

  @Test
  void aGroupOfPropertiesOrTheWholeScopeIsNotPrinted() throws Exception {
    assertEquals(
        "outputs.files[1].template: {{spring}} names a group of properties, not one value; name"
            + " a leaf such as {{a.b.c}}",
        renderFails("{{spring}}").getMessage());
    for (String whole : List.of("{{.}}", "x{{#.}}{{.}}{{/.}}", "{{^NOPE}}{{.}}{{/NOPE}}")) {
      Path t = template(whole);
      IOException e = assertThrows(IOException.class, () -> started(t), whole);
      assertEquals(
          "outputs.files[1].template: "
              + t
              + ": {{.}} outside a section would print every value; name the value instead",
          e.getMessage());
    }
  }

  @Test
  void sectionsStillWork() throws Exception {
    assertEquals(
        "<app> s&p",
        rendered("{{#USER}}<{{.}}>{{/USER}} {{#spring}}{{datasource.password}}{{/spring}}"));
  }
}
