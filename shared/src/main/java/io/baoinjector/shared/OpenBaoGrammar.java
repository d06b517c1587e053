package io.baoinjector.shared;

import static io.baoinjector.shared.Reference.BAO;
import static io.baoinjector.shared.Reference.MAX_PATH;
import static io.baoinjector.shared.Reference.VAULT;
import static io.baoinjector.shared.Reference.stripSlashes;

/**
 * OpenBao's forms of a {@link Reference} ({@code PATH#KEY[@VERSION]}, {@code bao:}, {@code vault:},
 * a whole secret's PATH), and what every form's messages share: the PATH rules and how a reference
 * is quoted.
 */
final class OpenBaoGrammar {
  private OpenBaoGrammar() {}

  static Reference parsePrefixed(String text) {
    if (!Reference.isPrefixed(text)) {
      throw new IllegalArgumentException("expected vault:PATH#KEY or bao:PATH#KEY");
    }
    String prefix = text.startsWith(VAULT) ? VAULT : BAO;
    String body = text.substring(prefix.length()).trim();
    if (body.isEmpty()) {
      throw bad(text, " names no secret; expected " + prefix + example(prefix));
    }
    int first = body.indexOf('#');
    int second = first < 0 ? -1 : body.indexOf('#', first + 1);
    if (second >= 0 && body.indexOf('@', first + 1) < 0) {
      // bank-vaults' PATH#KEY#VERSION reads as our PATH#KEY@VERSION
      body = body.substring(0, second) + "@" + body.substring(second + 1);
    }
    return parse(body, prefix, text, prefix.equals(VAULT));
  }

  private static String example(String prefix) {
    return prefix.equals(VAULT)
        ? "PATH#KEY, e.g. vault:secret/data/app/db#password"
        : "PATH#KEY, e.g. " + prefix + "secret/app/db#password";
  }

  /**
   * @param t what to parse, without the prefix
   * @param prefix "" for the plain form, else {@link Reference#VAULT} or {@link Reference#BAO} (in
   *     the messages)
   * @param shown what the messages quote
   */
  static Reference parse(String t, String prefix, String shown, boolean apiPath) {
    String form = prefix + "PATH#KEY";
    int hash = t.indexOf('#');
    if (hash < 0) {
      throw bad(shown, " has no #KEY; expected " + example(prefix));
    }
    if (t.indexOf('#', hash + 1) >= 0) {
      throw bad(shown, " has more than one #; expected " + form);
    }
    String path = stripSlashes(t.substring(0, hash));
    String rest = t.substring(hash + 1);
    int version = 0;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String rule = " must be a whole number from 1, as in " + form;
      version = version(rest.substring(at + 1), shown, rule + (prefix.equals(VAULT) ? "#3" : "@3"));
      rest = rest.substring(0, at);
    }
    if (path.isEmpty()) {
      throw bad(shown, " has no PATH before #; expected " + form);
    }
    if (rest.isEmpty()) {
      throw bad(shown, " has no KEY after #; expected " + form);
    }
    checkPath(path, shown);
    return new Reference(path, rest, version, apiPath);
  }

  static Reference wholeSecret(String path) {
    String p = stripSlashes(path == null ? "" : path.trim());
    if (p.isEmpty()) {
      throw new IllegalArgumentException("empty path; expected e.g. secret/app/prod");
    }
    if (p.indexOf('#') >= 0) {
      throw bad(p, ": a whole-secret path takes no #KEY");
    }
    checkPath(p, p);
    return new Reference(p, null, 0, false);
  }

  /** {@code v} as a version from 1; else a message that quotes it and says {@code rule}. */
  static int version(String v, String shown, String rule) {
    // nine digits always fit an int
    int version = v.matches("[0-9]{1,9}") ? Integer.parseInt(v) : 0;
    if (version <= 0) {
      throw bad(shown, ": version " + show(v) + rule);
    }
    return version;
  }

  /** Refuses what the HTTP client would rewrite (dot segments, a query) or cannot send. */
  static void checkPath(String path, String shown) {
    String why = null;
    if (path.length() > MAX_PATH) {
      why = "is longer than " + MAX_PATH + " characters; shorten the secret's path";
    } else if (path.indexOf('?') >= 0) {
      why = "has a ?, which would become a query; write it as for bao kv get";
    } else if (hasControl(path)) {
      why = "has a control character; write it as for bao kv get";
    } else if (hasDotSegment(path)) {
      why = "has an empty, . or .. segment; write it as for bao kv get";
    }
    if (why != null) {
      throw bad(shown, ": PATH " + why);
    }
  }

  static boolean hasDotSegment(String path) {
    for (String seg : path.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
        return true;
      }
    }
    return false;
  }

  static boolean hasControl(String s) {
    return s.chars().anyMatch(Character::isISOControl);
  }

  /** The message {@code show(shown) + rest}: every message about a reference starts so. */
  static IllegalArgumentException bad(String shown, String rest) {
    return new IllegalArgumentException(show(shown) + rest);
  }

  /** {@code text} quoted for a one-line message: controls escaped, a long one cut short. */
  static String show(String text) {
    StringBuilder b = new StringBuilder("\"");
    int n = Math.min(text.length(), 60);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        b.append("\\n");
      } else if (Character.isISOControl(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append(text.length() > n ? "...\" (" + text.length() + " characters)" : "\"");
    return b.toString();
  }
}
