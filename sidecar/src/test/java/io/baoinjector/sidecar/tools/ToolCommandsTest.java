package io.baoinjector.sidecar.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The tools as the command line registers them: help, usage mistakes, generated values. */
class ToolCommandsTest {
  static String[] run(String... args) {
    return runWith(Map.of(), args);
  }

  static String[] runWith(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            args,
            env,
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
  void aHugePathIsOneShortLineBeforeAnyRequest() {
    String huge = "secret/" + "a".repeat(100_000);
    Map<String, String> env = Map.of("BAO_ADDR", "http://127.0.0.1:1", "BAO_TOKEN", "t");
    for (String[] r :
        List.of(
            runWith(env, "rotate", huge + "#k", "--generate", "8"),
            runWith(env, "rotate", huge, "--generate", "8"),
            runWith(env, "import", "--from", "/dev/null", "--to", huge))) {
      assertEquals("2", r[0], r[2]);
      assertTrue(r[2].length() < 300, r[2].length() + " characters");
      assertTrue(
          r[2].endsWith(
                  "... (100007 characters): longer than 1024 characters; shorten the secret's path\n")
              || r[2].endsWith(
                  "... (100007 characters): name the key, like secret/app/db#password\n"),
          r[2]);
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aHugeRunOfSlashesInAPathIsRefusedAsQuickly() {
    // trimming the path's slashes must stay linear: a backtracking regex took seconds here
    String slashes = "secret/a" + "/".repeat(200_000) + "b";
    Map<String, String> env = Map.of("BAO_ADDR", "http://127.0.0.1:1", "BAO_TOKEN", "t");
    for (String[] r :
        List.of(
            runWith(env, "rotate", slashes + "#k", "--generate", "8"),
            runWith(env, "import", "--from", "/dev/null", "--to", slashes))) {
      assertEquals("2", r[0], r[2]);
      assertTrue(
          r[2].endsWith(
              "... (200009 characters): longer than 1024 characters; shorten the secret's path\n"),
          r[2]);
    }
  }

  @Test
  void valueFileDropsOneTrailingLineEndingCrlfOrLf(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("v");
    Files.writeString(f, "canary-pw\r\n");
    assertEquals("canary-pw", RotateCommand.readValue(f).reveal());
    Files.writeString(f, "canary-pw\n");
    assertEquals("canary-pw", RotateCommand.readValue(f).reveal());
    Files.writeString(f, "canary-pw\n\n");
    assertEquals("canary-pw\n", RotateCommand.readValue(f).reveal());
    Files.writeString(f, "canary-pw\r");
    assertEquals("canary-pw\r", RotateCommand.readValue(f).reveal());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void anEndlessOrHugeInputIsOneLineNotAnOutOfMemoryError() {
    String[] r = run("import", "--from", "/dev/zero", "--to", "secret/x");
    assertEquals("2", r[0], r[2]);
    assertEquals(
        "bao-injector: --from /dev/zero: larger than 8 MiB; a .env file is far smaller\n", r[2]);
    r = run("rotate", "secret/x#k", "--value-file", "/dev/zero");
    assertEquals("2", r[0], r[2]);
    assertEquals(
        "bao-injector: --value-file /dev/zero: larger than 8 MiB; a value is far smaller\n", r[2]);
  }

  @Test
  void aFileThatIsNotUtf8IsNamedAsSuch(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("latin1.env");
    Files.write(f, new byte[] {'A', '=', (byte) 0xe9, '\n'});
    String[] r = run("import", "--from", f.toString(), "--to", "secret/x");
    assertEquals("2", r[0], r[2]);
    assertEquals("bao-injector: --from " + f + ": not UTF-8 text; save it as UTF-8\n", r[2]);
  }

  @Test
  void aFileOfBareValuesIsRefusedWithoutQuotingThem(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("password.txt");
    Files.writeString(f, "canaryTr0ub4dor\n");
    String[] r = run("import", "--from", f.toString(), "--to", "secret/x");
    assertEquals("2", r[0], r[2]);
    assertFalse(r[2].contains("canary"), r[2]);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aCharsetOfEveryCodePointIsRefusedQuickly() {
    String[] r =
        run("rotate", "secret/x#k", "--generate", "4096", "--charset", "\u00a1-\uD83D\uDFFF");
    assertEquals("2", r[0], r[2]);
    assertEquals(
        "bao-injector: --charset: U+D800 is a surrogate, not a character; keep ranges short\n",
        r[2]);
    r = run("rotate", "secret/x#k", "--generate", "8", "--charset", "\u0000-z");
    assertEquals("2", r[0], r[2]);
    assertEquals("bao-injector: --charset: U+0000 is a control character; leave it out\n", r[2]);
    String wide = RotateCommand.generate(4096, "\uD800\uDC00-\uDBFF\uDFFF").reveal();
    assertEquals(4096, wide.codePointCount(0, wide.length()));
  }

  @Test
  void aPathWithDotSegmentsOrAQueryIsRefusedBeforeAnyRequest() {
    for (String[] args :
        new String[][] {
          {"rotate", "secret/app/../../sys/x#k", "--generate", "8"},
          {"rotate", "secret/app/.#k", "--generate", "8"},
          {"rotate", "secret//app#k", "--generate", "8"},
          {"rotate", "secret/app?version=1#k", "--generate", "8"},
          {"rotate", "secret/app#k", "--generate", "8", "--archive-to", "secret/../sys"},
          {"import", "--from-env", "*", "--to", "secret/app/.."},
          {"import", "--from-env", "*", "--to", "secret/app?x=1"},
        }) {
      String[] r = run(args);
      assertEquals("2", r[0], String.join(" ", args) + ": " + r[2]);
      assertTrue(r[2].contains("a path segment may not be empty, . or .."), r[2]);
    }
  }

  @Test
  void generatedValuesUseOnlyTheCharset() {
    String v = RotateCommand.generate(200, "a-c_").reveal();
    assertEquals(200, v.length());
    assertTrue(v.matches("[abc_]+"), v);
    assertEquals("ABCxyz-", RotateCommand.expand("A-Cx-z-"));
  }
}
