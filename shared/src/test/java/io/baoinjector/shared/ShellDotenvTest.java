package io.baoinjector.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The parser against bash itself: what {@code set -a; . F} exports is what it must return. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ShellDotenvTest {
  @TempDir Path dir;

  static final String TRICKY =
      String.join(
          "\n",
          "# a comment",
          "",
          "   # an indented comment",
          "PLAIN=value",
          "export EXPORTED=yes",
          "export\tTABBED=tab",
          "EMPTY=",
          "EQUALS=a=b==c",
          "URL='postgres://u:p@h:5432/db?sslmode=require&x=1'",
          "HASH_INSIDE=a#b",
          "COMMENTED=value # a comment",
          "SQ='it has spaces, $HOME, `ls`, \\n and \"quotes\"'",
          "SQ_APOS='it'\\''s'",
          "DQ=\"a \\\"quoted\\\" \\\\ back \\$ dollar \\` tick \\n kept\"",
          "DQ_CONT=\"one \\",
          "two\"",
          "MULTI='line one",
          "line two",
          "",
          "line four'",
          "MULTI_DQ=\"x",
          "y\"",
          "UNICODE=ünï¢ødé✓",
          "UNICODE_Q='日本語 テキスト'",
          "MIXED=a'b c'\"d e\"f",
          "ESCAPED=a\\ b\\$c\\\\d",
          "LONE_DOLLAR=a$ # then a comment",
          "DOLLAR_PCT=\"cost: $%\"",
          "TRAIL=x$",
          "PCT=100%",
          "BRACES=x{a,b}y",
          "GLOB=*.txt",
          "SPACE_AROUND='  padded  '",
          "DUP=first",
          "DUP=second",
          "TILDE_MID=a~b",
          "  INDENTED=ok",
          "LAST=no-newline-at-end");

  @Test
  void readsTheTrickyCorpusExactlyAsBashDoes() throws Exception {
    assertSameAsBash(TRICKY);
  }

  @Test
  void readsGeneratedValuesExactlyAsBashDoesInEveryQuoting() throws Exception {
    Random r = new Random(12);
    String alphabet = "aZ09 _-=:#'\"\\$`{}()[]*?!~%@^&;|<>,.\t\n✓é日\u00a0";
    StringBuilder file = new StringBuilder();
    for (int n = 0; n < 300; n++) {
      String value = random(r, alphabet, r.nextInt(12));
      String written;
      switch (n % 3) {
        case 0:
          written = "'" + value.replace("'", "'\\''") + "'";
          break;
        case 1:
          written = "\"" + value.replaceAll("([\"\\\\$`])", "\\\\$1") + "\"";
          break;
        default:
          // unquoted: every character escaped with a backslash (a newline would continue the line)
          written = escapeEach(value);
      }
      file.append(n % 2 == 0 ? "export " : "").append("V").append(n).append('=').append(written);
      file.append(n % 5 == 0 ? "  # note\n" : "\n");
    }
    Map<String, String> parsed = assertSameAsBash(file.toString());
    assertEquals(300, parsed.size());
  }

  /** Hostile one-liners: each is refused, or read exactly as bash reads it; never a third way. */
  @Test
  void hostileLinesAreRefusedOrReadAsBashReadsThem() throws Exception {
    Random r = new Random(7);
    String alphabet = "a=~:/$[]{}()+'\"\\\n\t #*?!%@-_1\r";
    int compared = 0;
    for (int n = 0; n < 3000 && compared < 400; n++) {
      String prefix = n % 4 == 0 ? "export A=" : "A=";
      String text = prefix + random(r, alphabet, 1 + r.nextInt(8)) + "\n";
      try {
        ShellDotenv.parse(text, "f.env");
      } catch (ShellDotenv.Refused e) {
        continue;
      }
      assertSameAsBash(text);
      compared++;
    }
    assertEquals(400, compared);
  }

  @Test
  void refusesWhatBashWouldExpandNamingTheLine() {
    assertRefused("A=1\nB=$HOME\n", "f.env:2: $H... would be expanded; put the value in single");
    assertRefused("B=\"x ${HOME}\"", "f.env:1: ${...} would be expanded");
    assertRefused("B=$(id)", "f.env:1: $(...) would run a command");
    assertRefused("B=`id`", "f.env:1: a backtick would run a command");
    assertRefused("B=\"`id`\"", "f.env:1: a backtick would run a command");
    assertRefused("B='x'\"\n$1\"", "f.env:2: $1... would be expanded");
    assertRefused("B=$'\\n'", "f.env:1: $'...' quoting is bash-specific");
    assertRefused("B=~/x", "f.env:1: a leading ~ would expand");
    assertRefused("B=a:~/x", "f.env:1: a leading ~ would expand");
    assertRefused("B=$[1+2]", "f.env:1: $[...] would be expanded (arithmetic)");
    assertRefused("B=\"$[1+2]\"", "f.env:1: $[...] would be expanded (arithmetic)");
    assertRefused("B=\\\n~/x", "f.env:2: a leading ~ would expand");
    assertRefused("B=x\\\0", "f.env:1: a NUL byte; remove it");
  }

  @Test
  void refusesWhatIsNotOneAssignmentPerLine() {
    assertRefused("A = 1", "f.env:1: no '=' right after the name; write NAME=value");
    assertRefused("export A", "f.env:1: no '=' right after the name");
    assertRefused("A=1 B=2", "f.env:1: text after the value of A; one assignment per line");
    assertRefused("A=a b", "f.env:1: text after the value of A");
    assertRefused("A=1;rm x", "f.env:1: ';' is shell syntax here");
    assertRefused("URL=http://h/?a=1&b=2", "f.env:1: '&' is shell syntax here; put the value in");
    assertRefused("A=1\r\nB=2\r\n", "f.env:1: the line ends in CR (a Windows line end); convert");
    assertRefused("\n\nA='open\nstill", "f.env:3: a single quote is never closed");
    assertRefused("A=\"open", "f.env:1: a double quote is never closed");
    assertRefused("1A=x", "f.env:1: not a NAME=value assignment");
    assertRefused("-x", "f.env:1: not a NAME=value assignment");
    assertRefused("_=x", "f.env:1: _ is a variable bash sets itself");
    assertRefused(
        "export RANDOM=4",
        "f.env:1: RANDOM is a variable bash sets itself, so bash would not keep this value; rename it");
  }

  @Test
  void aRefusalNeverQuotesTheValue() {
    ShellDotenv.Refused e =
        assertThrows(
            ShellDotenv.Refused.class, () -> ShellDotenv.parse("PW=canary-x$HOME", "f.env"));
    assertFalse(e.getMessage().contains("canary"), e.getMessage());
    e =
        assertThrows(
            ShellDotenv.Refused.class, () -> ShellDotenv.parse("canaryTr0ub4dor\n", "pw.txt"));
    assertFalse(e.getMessage().contains("canary"), e.getMessage());
  }

  /** {@code length} characters of {@code alphabet}, drawn by {@code r}. */
  private static String random(Random r, String alphabet, int length) {
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < length; k++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** Every character backslash-escaped; a newline (which would continue the line) quoted. */
  private static String escapeEach(String value) {
    StringBuilder b = new StringBuilder();
    for (char c : value.toCharArray()) {
      b.append(c == '\n' ? "'\n'" : "\\" + c);
    }
    return b.toString();
  }

  private static void assertRefused(String text, String messageStart) {
    ShellDotenv.Refused e =
        assertThrows(ShellDotenv.Refused.class, () -> ShellDotenv.parse(text, "f.env"));
    String m = e.getMessage();
    assertEquals(messageStart, m.substring(0, Math.min(m.length(), messageStart.length())), m);
  }

  /** Parses {@code text}, sources it in bash, and compares the names the file assigns. */
  private Map<String, String> assertSameAsBash(String text) throws Exception {
    Map<String, String> parsed = ShellDotenv.parse(text, "f.env");
    Path f = dir.resolve("f.env");
    Files.write(f, text.getBytes(StandardCharsets.UTF_8));
    Map<String, String> shell = bashEnv(f);
    Map<String, String> fromShell = new LinkedHashMap<>();
    for (String name : parsed.keySet()) {
      fromShell.put(name, shell.get(name));
    }
    assertEquals(parsed, fromShell);
    return parsed;
  }

  private static Map<String, String> bashEnv(Path f) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
            Arrays.asList(
                "env",
                "-i",
                "LC_ALL=C.UTF-8",
                "bash",
                "-c",
                "set -a; . \"$0\"; env -0",
                f.toString()));
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process p = pb.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
      }
    }
    assertEquals(0, p.waitFor(), "bash failed");
    Map<String, String> env = new LinkedHashMap<>();
    for (String entry : new String(out.toByteArray(), StandardCharsets.UTF_8).split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return env;
  }
}
