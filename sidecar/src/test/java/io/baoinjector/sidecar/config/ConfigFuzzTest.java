package io.baoinjector.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile and broken YAML into the loader: every outcome is a config or a one-line {@link
 * ConfigException}, never another exception, never slow. Seeded, so a failure replays; bounded in
 * count and input size.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConfigFuzzTest {
  static final Map<String, String> ENV = Map.of("BAO_TOKEN", Fixtures.CANARY_TOKEN);
  static final Path NAME = Fixtures.dir("good-config").resolve("full.yaml");
  static final String YAML_CHARS = ":-[]{},&*!|>'\"#%@`?\t\n  abcAZ09._/";
  static final long SLOWEST_NANOS = TimeUnit.SECONDS.toNanos(5);

  int configs;
  int errors;

  void feed(String label, String yaml) {
    long t0 = System.nanoTime();
    try {
      ConfigLoader.load(yaml, NAME, ENV);
      configs++;
    } catch (ConfigException e) {
      errors++;
      String m = e.getMessage();
      assertFalse(m.contains("\n") || m.contains("\r"), label + ": not one line: " + m);
      assertFalse(m.contains(Fixtures.CANARY_TOKEN), label + ": token in the message");
    } catch (Throwable t) {
      fail(label + ": " + t + " escaped for input of " + yaml.length() + " chars", t);
    }
    long took = System.nanoTime() - t0;
    assertTrue(took < SLOWEST_NANOS, label + ": took " + took / 1_000_000 + " ms");
  }

  @Test
  void randomBytesTruncationsAndMutationsOfARealConfig() throws Exception {
    String full = Files.readString(NAME);
    Random rnd = new Random(20261201L);
    for (int cut = 0; cut <= full.length(); cut += 7) {
      feed("prefix " + cut, full.substring(0, cut));
    }
    for (int i = 0; i < 600; i++) {
      StringBuilder b = new StringBuilder(full);
      for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
        b.setCharAt(rnd.nextInt(b.length()), YAML_CHARS.charAt(rnd.nextInt(YAML_CHARS.length())));
      }
      feed("mutation " + i, b.toString());
    }
    for (int i = 0; i < 300; i++) {
      StringBuilder b = new StringBuilder();
      for (int k = rnd.nextInt(400); k > 0; k--) {
        b.append(
            rnd.nextInt(8) == 0
                ? (char) rnd.nextInt(0x3000)
                : YAML_CHARS.charAt(rnd.nextInt(YAML_CHARS.length())));
      }
      feed("random " + i, b.toString());
    }
    assertTrue(errors > 0 && configs > 0, configs + " configs, " + errors + " errors");
  }

  @Test
  void deepNesting() {
    for (int depth : new int[] {50, 500, 1_000, 5_000, 50_000}) {
      feed("flow sequences " + depth, "secrets: " + "[".repeat(depth) + "]".repeat(depth));
      feed("flow mappings " + depth, "secrets: " + "{a: ".repeat(depth) + "}".repeat(depth));
      if (depth <= 1_000) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) {
          b.append(" ".repeat(i)).append("a:\n");
        }
        feed("block mappings " + depth, b.toString());
      }
    }
  }

  @Test
  void aliasesAndBillionLaughs() {
    StringBuilder laughs = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      String prev = String.valueOf((char) (c - 1));
      laughs
          .append(c)
          .append(": &")
          .append(c)
          .append(" [*")
          .append(String.join(",*", List.of(prev, prev, prev, prev, prev)))
          .append("]\n");
    }
    feed("billion laughs", laughs.toString());
    feed("anchor only", "openbao: &o\n  address: http://x:8200\nsecrets:\n  A: secret/a#b\n");
    feed("merge key", "x: &x {address: http://x:8200}\nopenbao:\n  <<: *x\n");
    feed("self alias", "a: &a [*a]\n");
    feed("tags", "secrets: !!map {A: !!binary aGVsbG8=}\nopenbao: !!python/object:os.system {}\n");
  }

  /** Every scalar of the real config replaced in turn by a value of each other YAML type. */
  @Test
  void wrongTypesForEveryValue() throws Exception {
    List<String> lines = Files.readAllLines(NAME);
    Pattern kv = Pattern.compile("^(\\s*(?:- )?[A-Za-z0-9._-]+:)\\s+(\\S.*)$");
    List<String> others =
        List.of(
            "[]",
            "{}",
            "[1, 2]",
            "{a: b}",
            "~",
            "null",
            "true",
            "-1",
            "0",
            "9223372036854775808",
            "1e400",
            "0x7fffffff",
            "\"\"",
            "\"\\u0000\"",
            "9223372036854775807h");
    int fed = 0;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = kv.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      for (String other : others) {
        List<String> copy = new ArrayList<>(lines);
        copy.set(i, m.group(1) + " " + other);
        feed("line " + (i + 1) + " = " + other, String.join("\n", copy) + "\n");
        fed++;
      }
    }
    assertTrue(fed > 300, "fed " + fed);
  }
}
