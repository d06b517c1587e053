package io.baoinjector.sidecar.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tools as the command line registers them: help, usage mistakes, generated values. */
class ToolCommandsTest {
  static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            args,
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {
      Integer.toString(exit),
      out.toString(StandardCharsets.UTF_8),
      err.toString(StandardCharsets.UTF_8)
    };
  }

  @Test
  void helpNamesEveryOption() {
    String[] r = run("import", "--help");
    assertEquals("0", r[0], r[2]);
    for (String o :
        new String[] {
          "--from",
          "--from-env",
          "--to",
          "--split",
          "--merge",
          "--replace",
          "--emit-config",
          "--dry-run",
          "-c"
        }) {
      assertTrue(r[1].contains(o), o + " in\n" + r[1]);
    }
    r = run("rotate", "--help");
    assertEquals("0", r[0], r[2]);
    for (String o :
        new String[] {
          "--value-file",
          "--generate",
          "--charset",
          "--archive-to",
          "--socket",
          "--dry-run",
          "database"
        }) {
      assertTrue(r[1].contains(o), o + " in\n" + r[1]);
    }
  }

  @Test
  void usageMistakesExitTwoWithoutAStackTrace() {
    String[] r = run("import", "--to", "secret/x");
    assertEquals("2", r[0], r[2]);
    assertTrue(r[2].startsWith("bao-injector: Error: Missing required argument"), r[2]);
    r = run("import", "--from", "a.env", "--from-env", "X*", "--to", "secret/x");
    assertEquals("2", r[0], r[2]);
    r = run("import", "--from", "a.env", "--to", "secret/x", "--merge", "--replace");
    assertEquals("2", r[0], r[2]);
    r = run("rotate", "secret/x#k", "--generate", "8", "--value-file", "f");
    assertEquals("2", r[0], r[2]);
    r = run("rotate", "secret/x#k", "--generate", "0");
    assertEquals("2", r[0], r[2]);
    assertEquals("bao-injector: --generate 0: the length must be 1 to 4096\n", r[2]);
  }

  @Test
  void generatedValuesUseOnlyTheCharset() {
    String v = RotateCommand.generate(200, "a-c_").reveal();
    assertEquals(200, v.length());
    assertTrue(v.matches("[abc_]+"), v);
    assertEquals("ABCxyz-", RotateCommand.expand("A-Cx-z-"));
  }
}
