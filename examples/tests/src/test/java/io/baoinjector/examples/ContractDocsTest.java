package io.baoinjector.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The reference in docs/ against the code: every {@code BAO_INJECTOR_*} variable the code reads is
 * in the environment table, every socket endpoint and status in the socket API section, and no file
 * points at a document outside the repository. Reads the sources, so it needs no build.
 */
class ContractDocsTest {
  static final Pattern VARIABLE = Pattern.compile("\\bBAO_INJECTOR_[A-Z0-9]+(?:_[A-Z0-9]+)*\\b");
  static final Pattern ENDPOINT = Pattern.compile("\"(/v1/[a-z]+/?|/metrics)\"");

  /**
   * A status as the socket code sends it: {@code error(404}, {@code , 404, }, {@code ? 200 : 503}.
   */
  static final Pattern STATUS =
      Pattern.compile(
          "(?:error|canned)\\(([1-5]\\d\\d)|, ([1-5]\\d\\d), |\\? ([1-5]\\d\\d) : ([1-5]\\d\\d)");

  static final String SOCKET_SECTION = "## Socket API (`sidecar.output.socket`)";

  @Test
  void everyVariableTheCodeReadsIsInTheEnvironmentTableAndNoOther() throws IOException {
    Set<String> read = new TreeSet<>();
    for (String f : files()) {
      if (f.startsWith("docs/") || f.endsWith(".md") || f.contains("/src/test/")) {
        continue;
      }
      Matcher m = VARIABLE.matcher(text(f));
      while (m.find()) {
        read.add(m.group());
      }
    }
    assertTrue(read.contains("BAO_INJECTOR_LOG_LEVEL"), "the scan found " + read);
    Set<String> documented = new TreeSet<>();
    for (String cell :
        Markdown.firstColumn(Repo.read("docs/configuration.md"), "## Environment variables")) {
      for (String name : cell.split(",\\s*")) {
        if (name.startsWith("BAO_INJECTOR_")) {
          documented.add(name);
        }
      }
    }
    assertEquals(read, documented, "docs/configuration.md's environment table");
  }

  @Test
  void everySocketEndpointAndStatusIsInTheSocketApiSection() throws IOException {
    Set<String> endpoints = new TreeSet<>();
    Set<String> statuses = new TreeSet<>();
    for (String f : files()) {
      if (!f.startsWith("sidecar/src/main/java/") || !f.endsWith(".java")) {
        continue;
      }
      String src = text(f);
      Matcher e = ENDPOINT.matcher(src);
      boolean socketCode = f.contains("/output/socket/");
      while (e.find()) {
        endpoints.add(e.group(1));
      }
      Matcher s = STATUS.matcher(src);
      while (socketCode && s.find()) {
        for (int g = 1; g <= s.groupCount(); g++) {
          if (s.group(g) != null) {
            statuses.add(s.group(g));
          }
        }
      }
    }
    assertTrue(statuses.containsAll(Set.of("200", "404", "503")), "the scan found " + statuses);

    String md = Repo.read("docs/outputs.md");
    Set<String> documented = new TreeSet<>();
    for (String request : Markdown.firstColumn(md, SOCKET_SECTION)) {
      assertTrue(request.startsWith("GET /") || request.startsWith("POST /"), request);
      // GET /v1/env?after=N... -> /v1/env; GET /v1/secrets/NAME -> /v1/secrets/
      documented.add(
          request
              .substring(request.indexOf(' ') + 1)
              .replaceAll("\\?.*", "")
              .replaceAll("[A-Z]+$", ""));
    }
    assertEquals(endpoints, documented, "docs/outputs.md's request table");

    int at = md.indexOf(SOCKET_SECTION);
    int end = md.indexOf("\n## ", at);
    String section = end < 0 ? md.substring(at) : md.substring(at, end);
    List<String> missing = new ArrayList<>();
    for (String status : statuses) {
      if (!Pattern.compile("\\b" + status + "\\b").matcher(section).find()) {
        missing.add(status);
      }
    }
    assertEquals(List.of(), missing, "statuses the socket sends that its section never names");
  }

  @Test
  void noFilePointsAtADocumentOutsideTheRepository() throws IOException {
    // split, so this file does not name them itself
    List<String> outside = List.of("PRODUCT" + ".md", ".." + "/shared");
    List<String> hits = new ArrayList<>();
    for (String f : files()) {
      String text = text(f);
      for (String name : outside) {
        if (text.contains(name)) {
          hits.add(f + ": " + name);
        }
      }
    }
    assertEquals(List.of(), hits);
  }

  /** The repository's files, committed or not (ignored ones excepted). */
  static List<String> files() {
    Run.Result r =
        Run.run(Map.of(), List.of("git", "ls-files", "--cached", "--others", "--exclude-standard"));
    assertEquals(0, r.exit(), r.stderr());
    List<String> out = new ArrayList<>();
    for (String f : r.stdout().split("\n")) {
      if (!f.isEmpty() && Files.isRegularFile(Repo.path(f))) {
        out.add(f);
      }
    }
    assertTrue(out.contains("docs/outputs.md"), "git ls-files listed " + out.size() + " files");
    return out;
  }

  /** Bytes as Latin-1: every file reads, binary ones too, and the names searched are ASCII. */
  static String text(String f) throws IOException {
    return new String(Files.readAllBytes(Repo.path(f)), StandardCharsets.ISO_8859_1);
  }
}
