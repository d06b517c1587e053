package io.baoinjector.shared;

/**
 * A secret reference as users write it: {@code PATH#KEY[@VERSION]}, with PATH as typed for {@code
 * bao kv get} (no {@code /data/}). Immutable; holds no secret.
 */
public final class Reference {
  private final String path;
  private final String key;
  private final int version;

  private Reference(String path, String key, int version) {
    this.path = path;
    this.key = key;
    this.version = version;
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
    String t = text.trim();
    int hash = t.indexOf('#');
    if (hash < 0) {
      throw new IllegalArgumentException(
          "\"" + t + "\" has no #KEY; expected PATH#KEY, e.g. secret/app/db#password");
    }
    if (t.indexOf('#', hash + 1) >= 0) {
      throw new IllegalArgumentException("\"" + t + "\" has more than one #; expected PATH#KEY");
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
            "\"" + t + "\": version \"" + v + "\" must be a whole number from 1, as in PATH#KEY@3");
      }
    }
    if (path.isEmpty()) {
      throw new IllegalArgumentException("\"" + t + "\" has no PATH before #; expected PATH#KEY");
    }
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("\"" + t + "\" has no KEY after #; expected PATH#KEY");
    }
    for (String seg : path.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
        throw new IllegalArgumentException(
            "\"" + t + "\": PATH has an empty, . or .. segment; write it as for bao kv get");
      }
    }
    return new Reference(path, rest, version);
  }

  /** A reference to a whole secret (no key), as {@code env-from} uses. */
  public static Reference wholeSecret(String path) {
    String p = stripSlashes(path == null ? "" : path.trim());
    if (p.isEmpty()) {
      throw new IllegalArgumentException("empty path; expected e.g. secret/app/prod");
    }
    if (p.indexOf('#') >= 0) {
      throw new IllegalArgumentException("\"" + p + "\": a whole-secret path takes no #KEY");
    }
    return new Reference(p, null, 0);
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
        && version == r.version;
  }

  @Override
  public int hashCode() {
    return (path.hashCode() * 31 + (key == null ? 0 : key.hashCode())) * 31 + version;
  }

  /** The reference as written (it names a location, never a value). */
  @Override
  public String toString() {
    return path + (key == null ? "" : "#" + key) + (version > 0 ? "@" + version : "");
  }
}
