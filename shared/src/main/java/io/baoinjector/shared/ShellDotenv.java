package io.baoinjector.shared;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a hand-written {@code .env} file exactly as bash's {@code set -a; . FILE} would, for the
 * forms such files use: {@code NAME=value}, {@code export NAME=value}, single quotes (all literal),
 * double quotes (bash's escapes {@code \"} {@code \\} {@code \$} {@code \`} and {@code
 * \<newline>}), backslash escapes outside quotes, values spanning lines inside quotes, blank lines,
 * full-line comments and {@code #} comments after a value. {@link Dotenv#decode} reads only the
 * codec's own output; this reads what people write.
 *
 * <p>What bash would expand or run ({@code $VAR}, {@code ${...}}, {@code $(...)}, backticks, {@code
 * $'...'}, a leading {@code ~}, {@code ;}, {@code |}, {@code &}, redirections) is refused with
 * {@code file:line: what; the fix}, never expanded: an import must store what the file says, not
 * what this machine's environment makes of it. So is anything else outside the subset (two
 * assignments on a line, a CR line end, a name bash keeps for itself such as {@code RANDOM}), where
 * a guess could differ from bash.
 *
 * <p>JDK only, Java 8, like the codec beside it.
 */
public final class ShellDotenv {
  private ShellDotenv() {}

  /** Names bash sets, computes or keeps read-only: sourcing never leaves the file's value there. */
  private static final Set<String> BASH_OWN =
      new HashSet<>(
          Arrays.asList(
              ("_ BASHOPTS BASHPID BASH_ALIASES BASH_ARGC BASH_ARGV BASH_ARGV0 BASH_CMDS BASH_LINENO"
                      + " BASH_SOURCE BASH_SUBSHELL BASH_VERSINFO COMP_WORDBREAKS DIRSTACK"
                      + " EPOCHREALTIME EPOCHSECONDS EUID FUNCNAME GROUPS HISTCMD LINENO OPTIND"
                      + " PIPESTATUS PPID RANDOM SECONDS SHELLOPTS SHLVL SRANDOM UID")
                  .split(" ")));

  /** A line outside the subset; the message is {@code file:line: what; fix} and holds no value. */
  public static final class Refused extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /**
   * The assignments in {@code text}, in file order (a name assigned twice keeps its last value, as
   * in bash).
   *
   * @param file names the file in messages
   * @throws Refused for the first line bash would read differently from plain text
   */
  public static Map<String, String> parse(String text, String file) {
    return new Parser(text, file).run();
  }

  private static final class Parser {
    private final String s;
    private final String file;
    private int i;
    private int line = 1;

    Parser(String text, String file) {
      this.s = text;
      this.file = file;
    }

    Map<String, String> run() {
      Map<String, String> out = new LinkedHashMap<>();
      while (i < s.length()) {
        skipBlanks();
        if (lineEnd()) {
          i++; // the newline, or past the end
          line++;
          continue;
        }
        String name = name();
        if (name.equals("export") && i < s.length() && isBlank(s.charAt(i))) {
          skipBlanks();
          name = name();
        }
        if (name.isEmpty() || !EnvNames.isValid(name)) {
          throw refused("not a NAME=value assignment", "write NAME=value, one per line");
        }
        if (BASH_OWN.contains(name)) {
          throw refused(
              name + " is a variable bash sets itself, so bash would not keep this value",
              "rename it");
        }
        if (i >= s.length() || s.charAt(i) != '=') {
          // what stands there may be a bare value (a password file passed by mistake): not quoted
          throw refused("no '=' right after the name", "write NAME=value (no spaces around '=')");
        }
        i++;
        out.put(name, value());
        skipBlanks();
        if (!lineEnd()) {
          throw refused(
              "text after the value of " + name,
              "one assignment per line; quote a value with spaces in single quotes");
        }
      }
      return out;
    }

    private String name() {
      int from = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
        i++;
      }
      return s.substring(from, i);
    }

    private String value() {
      StringBuilder v = new StringBuilder();
      boolean first = true;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (isBlank(c) || c == '\n') {
          break;
        }
        if (c == '\'' || c == '"') {
          quoted(v, c);
        } else if (c == '\\') {
          if (i + 1 >= s.length()) {
            throw refused("a backslash at the end of the file", "remove it");
          }
          // bash joins the lines before it looks for a tilde, so the value has not begun yet
          if (escape(v)) {
            continue;
          }
        } else {
          unquoted(c, first || v.length() > 0 && v.charAt(v.length() - 1) == ':');
          v.append(c);
          i++;
        }
        first = false;
      }
      return v.toString();
    }

    private void unquoted(char c, boolean tildeExpands) {
      expanded(c, true);
      noNul(c);
      if (c == '\r') {
        throw crLineEnd();
      } else if (c == '~' && tildeExpands) {
        throw refused("a leading ~ would expand to a home directory", "quote the value");
      } else if (";&|<>()".indexOf(c) >= 0) {
        throw refused("'" + c + "' is shell syntax here", "put the value in single quotes");
      }
    }

    /**
     * Refuses what bash expands inside double quotes as well as outside: {@code $} and {@code `}.
     */
    private void expanded(char c, boolean outsideQuotes) {
      if (c == '$') {
        dollar(outsideQuotes);
      } else if (c == '`') {
        throw refused("a backtick would run a command", "put the value in single quotes");
      }
    }

    /** A {@code $} at {@code i}: refuse when bash would expand it, else it is literal. */
    private void dollar(boolean outsideQuotes) {
      char n = i + 1 < s.length() ? s.charAt(i + 1) : ' ';
      String what = null;
      if (n == '{') {
        what = "${...} would be expanded";
      } else if (n == '(') {
        what = "$(...) would run a command";
      } else if (n == '[') {
        what = "$[...] would be expanded (arithmetic)";
      } else if (Character.isLetterOrDigit(n) || n == '_' || "@*#?$!-".indexOf(n) >= 0) {
        what = "$" + n + "... would be expanded";
      } else if (outsideQuotes && (n == '\'' || n == '"')) {
        what = "$" + n + "..." + n + " quoting is bash-specific";
      }
      if (what != null) {
        throw refused(
            what, "put the value in single quotes, or write \\$ for a literal dollar sign");
      }
    }

    /** A quoted part at {@code i}: all literal in single quotes; bash's escapes in double. */
    private void quoted(StringBuilder v, char quote) {
      int open = line;
      i++;
      while (i < s.length() && s.charAt(i) != quote) {
        char c = s.charAt(i);
        if (quote == '"') {
          if (c == '\\' && i + 1 < s.length() && "\"\\$`\n".indexOf(s.charAt(i + 1)) >= 0) {
            escape(v);
            continue;
          }
          expanded(c, false);
        }
        noNul(c);
        v.append(c);
        next();
      }
      if (i >= s.length()) {
        String which = quote == '"' ? "a double" : "a single";
        throw refusedAt(open, which + " quote is never closed", "close it with " + quote);
      }
      i++;
    }

    /**
     * A backslash at {@code i} and the character it escapes; {@code \<newline>} is dropped.
     *
     * @return whether it was a line continuation
     */
    private boolean escape(StringBuilder v) {
      char e = s.charAt(i + 1);
      noNul(e);
      i += 2;
      if (e == '\n') {
        line++;
        return true;
      }
      v.append(e);
      return false;
    }

    private void next() {
      if (s.charAt(i) == '\n') {
        line++;
      }
      i++;
    }

    private void skipBlanks() {
      while (i < s.length() && isBlank(s.charAt(i))) {
        i++;
      }
    }

    /** Past a comment at {@code i}: true at the line's end or the file's, refusing a CR there. */
    private boolean lineEnd() {
      if (i < s.length() && s.charAt(i) == '#') {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
      }
      if (i < s.length() && s.charAt(i) == '\r') {
        throw crLineEnd();
      }
      return i >= s.length() || s.charAt(i) == '\n';
    }

    private static boolean isBlank(char c) {
      return c == ' ' || c == '\t';
    }

    private void noNul(char c) {
      if (c == '\0') {
        throw refused("a NUL byte", "remove it");
      }
    }

    private Refused crLineEnd() {
      return refused("the line ends in CR (a Windows line end)", "convert it with dos2unix");
    }

    private Refused refused(String what, String fix) {
      return refusedAt(line, what, fix);
    }

    private Refused refusedAt(int at, String what, String fix) {
      return new Refused(file + ":" + at + ": " + what + "; " + fix);
    }
  }
}
