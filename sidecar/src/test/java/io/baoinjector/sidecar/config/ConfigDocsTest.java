package io.baoinjector.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/configuration.md documents exactly the keys and variables the loader reads. */
class ConfigDocsTest {
  private static String docs() throws Exception {
    String root = System.getProperty("baoinjector.root");
    Path base = root != null ? Path.of(root) : Path.of("..");
    return Files.readString(base.resolve("docs/configuration.md"));
  }

  @Test
  void everyAcceptedKeyHasARow() throws Exception {
    String docs = docs();
    List<String> missing = new ArrayList<>();
    for (String key : ConfigKeys.allKeyPaths()) {
      if (!docs.contains("\n| `" + key + "` |")) {
        missing.add(key);
      }
    }
    assertEquals(List.of(), missing, "keys the loader accepts but docs/configuration.md lacks");
  }

  @Test
  void everyDocumentedKeyIsAccepted() throws Exception {
    List<String> keys = ConfigKeys.allKeyPaths().stream().distinct().toList();
    // NAME: a backends: block's name, written as such in the docs
    Matcher m = Pattern.compile("\n\\| `([a-z][a-zNAME.\\[\\]-]*)` \\|").matcher(docs());
    List<String> unknown = new ArrayList<>();
    int rows = 0;
    while (m.find()) {
      rows++;
      String key = m.group(1);
      boolean section = ConfigKeys.ALL.stream().anyMatch(s -> s.path().equals(key));
      if (!keys.contains(key) && !section) {
        unknown.add(key);
      }
    }
    assertTrue(rows >= keys.size(), "rows found: " + rows);
    assertEquals(List.of(), unknown, "documented keys the loader does not accept");
  }

  @Test
  void everyEnvironmentVariableIsDocumented() throws Exception {
    String docs = docs();
    for (String v : EnvDefaults.ALL) {
      assertTrue(docs.contains("`" + v + "`"), v + " missing from docs/configuration.md");
    }
  }
}
