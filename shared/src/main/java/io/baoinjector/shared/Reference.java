package io.baoinjector.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A secret reference as users write it, in every form the project accepts (docs/configuration.md
 * has the one table of them). Immutable; holds no secret.
 *
 * <ul>
 *   <li>{@code PATH#KEY[@VERSION]} ({@code secrets:}, {@code properties:}): PATH as typed for
 *       {@code bao kv get} (no {@code /data/}).
 *   <li>{@code bao:PATH#KEY[@VERSION]}: the same, prefixed, for a value in the environment.
 *   <li>{@code vault:PATH#KEY[#VERSION|@VERSION]}: bank-vaults' vault-env form, PATH as the HTTP
 *       API path, so on a KV v2 mount it carries {@code data/} after the mount ({@link
 *       #apiPath()}).
 *   <li>{@code ${vault:…}} / {@code ${bao:…}} inside a longer value ({@link #inline(String)}).
 * </ul>
 */
public final class Reference {
  /** bank-vaults' prefix: PATH is the API path ({@code secret/data/app} on KV v2). */
  public static final String VAULT = "vault:";

  /** Our prefix: PATH as typed for {@code bao kv get}. */
  public static final String BAO = "bao:";

  private final String path;
  private final String key;
  private final int version;
  private final boolean apiPath;

  private Reference(String path, String key, int version, boolean apiPath) {
    this.path = path;
    this.key = key;
    this.version = version;
    this.apiPath = apiPath;
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException with a message that says what is wrong and the expected form
   */
  public static Reference parse(String text) {
    if (text == null || text.trim().isEmpty()) {
      throw new IllegalArgumentException("empty reference; expected PATH#KEY or PATH#KEY@VERSION");
    }
    return parse(text.trim(), "", text.trim(), false);
  }

  /** True when {@code value} is meant as a whole-value reference: it starts with a prefix. */
  public static boolean isPrefixed(String value) {
    return value != null && (value.startsWith(VAULT) || value.startsWith(BAO));
  }

  /**
   * Parses {@code vault:PATH#KEY[#VERSION|@VERSION]} or {@code bao:PATH#KEY[@VERSION|#VERSION]}:
   * both prefixes take both version spellings, bank-vaults' {@code #3} and ours {@code @3}.
   *
   * @throws IllegalArgumentException naming the text (a reference, never a value) and the form
   */
  public static Reference parsePrefixed(String text) {
    String prefix =
        text == null ? "" : text.startsWith(VAULT) ? VAULT : text.startsWith(BAO) ? BAO : "";
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("expected vault:PATH#KEY or bao:PATH#KEY");
    }
    String body = text.substring(prefix.length()).trim();
    if (body.isEmpty()) {
      throw new IllegalArgumentException(
          show(text) + " names no secret; expected " + prefix + example(prefix));
    }
    int first = body.indexOf('#');
    int second = first < 0 ? -1 : body.indexOf('#', first + 1);
    if (second >= 0 && body.indexOf('@', first + 1) < 0) {
      // bank-vaults' PATH#KEY#VERSION reads as our PATH#KEY@VERSION
      body = body.substring(0, second) + "@" + body.substring(second + 1);
    }
    return parse(body, prefix, text, prefix.equals(VAULT));
  }

  /**
   * The references inside {@code value} as {@code ${vault:…}} or {@code ${bao:…}}, in order, each
   * once; empty when there are none.
   *
   * @throws IllegalArgumentException for one that is unclosed (without quoting the rest of the
   *     value, which may hold a literal secret) or malformed
   */
  public static List<Reference> inline(String value) {
    final List<Reference> out = new ArrayList<Reference>();
    substitute(
        value,
        new Function<Reference, String>() {
          @Override
          public String apply(Reference r) {
            if (!out.contains(r)) {
              out.add(r);
            }
            return "";
          }
        });
    return out;
  }

  /**
   * {@code value} with every {@code ${vault:…}} / {@code ${bao:…}} replaced by {@code resolve}'s
   * answer, in one pass: a resolved value that itself looks like a reference is left as it is.
   *
   * @throws IllegalArgumentException as {@link #inline(String)}
   */
  public static String substitute(String value, Function<Reference, String> resolve) {
    StringBuilder out = new StringBuilder();
    int from = 0;
    while (true) {
      int start = nextInline(value, from);
      if (start < 0) {
        return out.append(value, from, value.length()).toString();
      }
      int end = value.indexOf('}', start);
      if (end < 0) {
        String opening = value.startsWith(VAULT, start + 2) ? "${vault:" : "${bao:";
        throw new IllegalArgumentException(
            "a " + opening + " is not closed with }; write " + opening + "PATH#KEY}");
      }
      out.append(value, from, start)
          .append(resolve.apply(parsePrefixed(value.substring(start + 2, end))));
      from = end + 1;
    }
  }

  private static int nextInline(String value, int from) {
    int v = value.indexOf("${" + VAULT, from);
    int b = value.indexOf("${" + BAO, from);
    return v < 0 ? b : b < 0 ? v : Math.min(v, b);
  }

  private static String example(String prefix) {
    return prefix.equals(VAULT)
        ? "PATH#KEY, e.g. vault:secret/data/app/db#password"
        : "PATH#KEY, e.g. " + prefix + "secret/app/db#password";
  }

  /**
   * @param t what to parse, without the prefix
   * @param prefix "" for the plain form, else {@link #VAULT} or {@link #BAO} (in the messages)
   * @param shown what the messages quote
   */
  private static Reference parse(String t, String prefix, String shown, boolean apiPath) {
    String form = prefix + "PATH#KEY";
    int hash = t.indexOf('#');
    if (hash < 0) {
      throw new IllegalArgumentException(show(shown) + " has no #KEY; expected " + example(prefix));
    }
    if (t.indexOf('#', hash + 1) >= 0) {
      throw new IllegalArgumentException(show(shown) + " has more than one #; expected " + form);
    }
    String path = stripSlashes(t.substring(0, hash));
    String rest = t.substring(hash + 1);
    int version = 0;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String v = rest.substring(at + 1);
      rest = rest.substring(0, at);
      try {
        version = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        version = -1;
      }
      if (version <= 0) {
        throw new IllegalArgumentException(
            show(shown)
                + ": version "
                + show(v)
                + " must be a whole number from 1, as in "
                + form
                + (prefix.equals(VAULT) ? "#3" : "@3"));
      }
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException(show(shown) + " has no PATH before #; expected " + form);
    }
    if (rest.isEmpty()) {
      throw new IllegalArgumentException(show(shown) + " has no KEY after #; expected " + form);
    }
    checkPath(path, shown);
    return new Reference(path, rest, version, apiPath);
  }

  /** A reference to a whole secret (no key), as {@code env-from} uses. */
  public static Reference wholeSecret(String path) {
    String p = stripSlashes(path == null ? "" : path.trim());
    if (p.isEmpty()) {
      throw new IllegalArgumentException("empty path; expected e.g. secret/app/prod");
    }
    if (p.indexOf('#') >= 0) {
      throw new IllegalArgumentException(show(p) + ": a whole-secret path takes no #KEY");
    }
    checkPath(p, p);
    return new Reference(p, null, 0, false);
  }

  /** The longest PATH accepted: a longer one made OpenBao answer only at the client's timeout. */
  public static final int MAX_PATH = 1024;

  /** Refuses what the HTTP client would rewrite (dot segments, a query) or cannot send. */
  private static void checkPath(String path, String shown) {
    String why = null;
    if (path.length() > MAX_PATH) {
      why = "is longer than " + MAX_PATH + " characters; shorten the secret's path";
    } else if (path.indexOf('?') >= 0) {
      why = "has a ?, which would become a query; write it as for bao kv get";
    } else {
      for (int i = 0; i < path.length() && why == null; i++) {
        char c = path.charAt(i);
        why =
            c < 0x20 || (c >= 0x7f && c < 0xa0)
                ? "has a control character; write it as for bao kv get"
                : null;
      }
      for (String seg : path.split("/", -1)) {
        if (why == null && (seg.isEmpty() || seg.equals(".") || seg.equals(".."))) {
          why = "has an empty, . or .. segment; write it as for bao kv get";
        }
      }
    }
    if (why != null) {
      throw new IllegalArgumentException(show(shown) + ": PATH " + why);
    }
  }

  /** {@code text} quoted for a one-line message: controls escaped, a long one cut short. */
  private static String show(String text) {
    StringBuilder b = new StringBuilder("\"");
    int n = Math.min(text.length(), 60);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        b.append("\\n");
      } else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append(text.length() > n ? "...\" (" + text.length() + " characters)" : "\"");
    return b.toString();
  }

  private static String stripSlashes(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && s.charAt(b) == '/') {
      b++;
    }
    while (e > b && s.charAt(e - 1) == '/') {
      e--;
    }
    return s.substring(b, e);
  }

  /** The path as the user typed it for {@code bao kv get}, without leading or trailing slashes. */
  public String path() {
    return path;
  }

  /** The key inside the secret; null for a whole-secret reference. */
  public String key() {
    return key;
  }

  /** The pinned KV v2 version, or 0 for the current one. */
  public int version() {
    return version;
  }

  /**
   * True for the {@code vault:} form: PATH is the HTTP API path, so on a KV v2 mount its {@code
   * data/} after the mount is not part of the secret's name (on KV v1 it is).
   */
  public boolean apiPath() {
    return apiPath;
  }

  public boolean pinned() {
    return version > 0;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Reference)) {
      return false;
    }
    Reference r = (Reference) o;
    return path.equals(r.path)
        && (key == null ? r.key == null : key.equals(r.key))
        && version == r.version
        && apiPath == r.apiPath;
  }

  @Override
  public int hashCode() {
    int h = (path.hashCode() * 31 + (key == null ? 0 : key.hashCode())) * 31 + version;
    return apiPath ? ~h : h;
  }

  /** The reference as written (it names a location, never a value). */
  @Override
  public String toString() {
    return (apiPath ? VAULT : "")
        + path
        + (key == null ? "" : "#" + key)
        + (version > 0 ? "@" + version : "");
  }
}
