package io.baoinjector.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DotenvTest {
  @TempDir Path dir;

  static Map<String, String> nasty() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("EMPTY", "");
    m.put("PLAIN", "hunter2");
    m.put("SINGLE", "it's");
    m.put("ONLY_QUOTE", "'");
    m.put("QUOTES", "''\"\"'\"'");
    m.put("DOLLAR", "$HOME ${PATH} $(id) $((1+1))");
    m.put("BACKTICK", "`id` `");
    m.put("BACKSLASH", "a\\b\\\\c\\'d\\");
    m.put("NEWLINES", "line1\nline2\n\n");
    m.put("CRLF", "a\r\nb\r");
    m.put("UNICODE", "pässwörd ✓ 日本 🙂");
    m.put("SPACES", "  lead and trail  ");
    m.put("HASH", "#not a comment # x");
    m.put("GLOB", "* ? [a-z] ~ ;&|<>");
    m.put("EQUALS", "a=b=c");
    m.put("TAB", "\t");
    return m;
  }

  @Test
  void formatIsExact() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("B", "it's");
    m.put("A", "x");
    assertEquals("B='it'\\''s'\nA='x'\n", Dotenv.encode(m).text());
    assertEquals("export B='it'\\''s'\nexport A='x'\n", Dotenv.encodeExport(m).text());
    assertEquals("export K=''\n", Dotenv.exportLine("K", ""));
  }

  @Test
  void invalidNamesAreSkippedAndReported() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("good", "1");
    m.put("bad-name", "2");
    m.put("1X", "3");
    m.put("", "4");
    Dotenv.Encoded e = Dotenv.encode(m);
    assertEquals("good='1'\n", e.text());
    assertEquals(Arrays.asList("bad-name", "1X", ""), e.skipped());
  }

  @Test
  void nulIsRejectedNamingTheVariableNotTheValue() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("DB_PASSWORD", "canary-S3CRET\0tail");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Dotenv.encode(m));
    assertTrue(e.getMessage().contains("DB_PASSWORD"), e.getMessage());
    assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    assertFalse(e.getMessage().contains("canary"), e.getMessage());
  }

  @Test
  void decodeRoundTripsNastyValues() {
    Map<String, String> m = nasty();
    assertEquals(m, Dotenv.decode(Dotenv.encode(m).text()));
    assertEquals(m, Dotenv.decode(Dotenv.encodeExport(m).text()));
  }

  @Test
  void decodeAcceptsCommentsBlankLinesCrlfAndLaterWins() {
    String text = "# header\r\n\r\nA='1'\r\nexport B='x'\\''y'\nA='2'\n";
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("A", "2");
    expected.put("B", "x'y");
    assertEquals(expected, Dotenv.decode(text));
  }

  @Test
  void decodeRejectsOtherSyntaxNamingTheLineNotTheContent() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Dotenv.decode("A='1'\nB=canary-S3CRET\n"));
    assertEquals(
        "dotenv line 2: unquoted characters in value (expected '...' segments)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Dotenv.decode("A='open\n"));
    assertThrows(IllegalArgumentException.class, () -> Dotenv.decode("NOEQUALS\n"));
    assertThrows(IllegalArgumentException.class, () -> Dotenv.decode("bad-name='x'\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bash", "sh"})
  void aShellSourcesEveryValueExactly(String shell) throws Exception {
    Map<String, String> m = nasty();
    assertEquals(m, throughShell(shell, Dotenv.encode(m).text(), m));
  }

  @Test
  void bashEvalOfExportLinesIsExact() throws Exception {
    Map<String, String> m = nasty();
    Path f = dir.resolve("export.sh");
    Files.write(f, Dotenv.encodeExport(m).text().getBytes(StandardCharsets.UTF_8));
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add("-c");
    cmd.add(
        "eval \"$(cat \"$1\")\"; shift; bash -c 'for n; do printf \"%s\\0\" \"${!n}\"; done' _ \"$@\"");
    cmd.add("_");
    cmd.add(f.toString());
    cmd.addAll(m.keySet());
    assertEquals(m, zip(m, run(cmd, null)));
  }

  @Test
  void pythonDotenvReadsValuesWithoutBackslashOrSingleQuote() throws Exception {
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : nasty().entrySet()) {
      // Python opens the file with universal newlines, so a CR reads back as LF: CR is out of
      // python-dotenv's reach too (docs/outputs.md says so; json carries it).
      String v = e.getValue();
      if (v.indexOf('\\') < 0 && v.indexOf('\'') < 0 && v.indexOf('\r') < 0) {
        m.put(e.getKey(), e.getValue());
      }
    }
    assertTrue(m.size() >= 10, "enough values left to be a real test: " + m.keySet());
    Path f = dir.resolve("py.env");
    Files.write(f, Dotenv.encode(m).text().getBytes(StandardCharsets.UTF_8));
    String python = ensurePython();
    String script =
        "import sys\n"
            + "from dotenv import dotenv_values\n"
            + "v = dotenv_values(sys.argv[1], interpolate=False)\n"
            + "out = sys.stdout.buffer\n"
            + "for n in sys.argv[2:]:\n"
            + "    out.write(v[n].encode('utf-8') + b'\\0')\n";
    List<String> cmd = new ArrayList<>(Arrays.asList(python, "-c", script, f.toString()));
    cmd.addAll(m.keySet());
    assertEquals(m, zip(m, run(cmd, null)));
  }

  static String ensurePython() throws Exception {
    Path script = root().resolve("scripts/ensure-pytools.sh");
    byte[] out = run(Arrays.asList("bash", script.toString()), null);
    return new String(out, StandardCharsets.UTF_8).trim();
  }

  static Path root() {
    String r = System.getProperty("baoinjector.root");
    return r != null ? Paths.get(r) : Paths.get("..").toAbsolutePath().normalize();
  }

  private Map<String, String> throughShell(String shell, String text, Map<String, String> names)
      throws Exception {
    Path f = dir.resolve(shell + ".env");
    Files.write(f, text.getBytes(StandardCharsets.UTF_8));
    List<String> cmd = new ArrayList<>();
    cmd.add(shell);
    cmd.add("-c");
    // sh has no ${!n}: eval a quoted reference instead. printf '%s\0' keeps every byte.
    cmd.add("set -a; . \"$1\"; shift; for n; do eval \"v=\\${$n}\"; printf '%s\\0' \"$v\"; done");
    cmd.add("_");
    cmd.add(f.toString());
    cmd.addAll(names.keySet());
    return zip(names, run(cmd, null));
  }

  private static Map<String, String> zip(Map<String, String> names, byte[] out) {
    String s = new String(out, StandardCharsets.UTF_8);
    String[] parts = s.split("\0", -1);
    assertEquals(names.size() + 1, parts.length, "one NUL-terminated value per name");
    Map<String, String> got = new LinkedHashMap<>();
    int i = 0;
    for (String n : names.keySet()) {
      got.put(n, parts[i++]);
    }
    return got;
  }

  static byte[] run(List<String> cmd, Path cwd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    byte[] out = readAll(p.getInputStream());
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "process timed out: " + cmd.get(0));
    assertEquals(0, p.exitValue(), "exit code of " + cmd.get(0));
    return out;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int r;
    while ((r = in.read(buf)) > 0) {
      b.write(buf, 0, r);
    }
    return b.toByteArray();
  }
}
