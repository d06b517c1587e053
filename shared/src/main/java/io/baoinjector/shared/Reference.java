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

  /**
   * The grammar a reference's body follows, decided by the store it names: OpenBao (no prefix), a
   * configured backend block by its {@code type:}, or the built-in {@code file:}.
   */
  public enum Store {
    /** {@code PATH#KEY[@VERSION]}. */
    OPENBAO,
    /** {@code NAME-or-ARN[#KEY][?stage=STAGE|?version-id=ID]}: AWS names may contain {@code @}. */
    AWS,
    /** {@code SECRET[@VERSION][#KEY]}, VERSION {@code latest} (the default) or a number. */
    GCP,
    /** {@code /FOLDER#NAME}: a secret by its name in a folder of the block's project. */
    INFISICAL,
    /** {@code /ABSOLUTE/PATH[#KEY]}: a dotenv or JSON file's key, or the whole file. */
    FILE
  }

  /** The built-in store that needs no {@code backends:} block. */
  public static final String FILE = "file";

  private final String backend;
  private final Store store;
  private final String path;
  private final String key;
  private final int version;
  private final boolean apiPath;
  private final String stage;
  private final String versionId;

  private Reference(String path, String key, int version, boolean apiPath) {
    this("", Store.OPENBAO, path, key, version, apiPath, null, null);
  }

  private Reference(
      String backend,
      Store store,
      String path,
      String key,
      int version,
      boolean apiPath,
      String stage,
      String versionId) {
    this.backend = backend;
    this.store = store;
    this.path = path;
    this.key = key;
    this.version = version;
    this.apiPath = apiPath;
    this.stage = stage;
    this.versionId = versionId;
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

  /**
   * Parses {@code text}, which may start with a store's prefix: {@code NAME:} for a configured
   * backend block (its grammar from {@code stores}), {@code file:} (built in), {@code bao:}
   * (OpenBao, for a path whose first segment holds a {@code :}); without one it is OpenBao's {@code
   * PATH#KEY[@VERSION]}.
   *
   * @param stores a backend block's name to its store, or null when no block has that name
   * @throws IllegalArgumentException saying what is wrong and the expected form
   */
  public static Reference parse(String text, Function<String, Store> stores) {
    return parse(text, stores, false);
  }

  /** {@link #parse(String, Function)} for a whole secret (no {@code #KEY}), as env-from names. */
  public static Reference wholeSecret(String text, Function<String, Store> stores) {
    return parse(text, stores, true);
  }

  private static Reference parse(String text, Function<String, Store> stores, boolean whole) {
    String t = text == null ? "" : text.trim();
    if (t.startsWith(VAULT)) {
      // bank-vaults' API-path form belongs to exec's environment; here it would read as a path
      throw new IllegalArgumentException(
          "vault: is the form for values in exec's environment; here write the path as for bao kv"
              + " get, like secret/app/db#password");
    }
    String name = prefixOf(t);
    if (name == null) {
      return whole ? wholeSecret(t) : parse(text);
    }
    String body = t.substring(name.length() + 1).trim();
    if (name.equals("bao")) {
      return whole ? wholeSecret(body) : parse(body, "bao:", t, false);
    }
    Store store = name.equals(FILE) ? Store.FILE : stores.apply(name);
    if (store == null || store == Store.OPENBAO) {
      String shown = show(t);
      // spelled out only when it is short and plain, so the message stays one short line
      String fix = shown.equals("\"" + t + "\"") ? "write bao:" + t : "put bao: before it";
      throw new IllegalArgumentException(
          shown
              + ": no backend is named \""
              + name
              + "\"; add it under backends:, or "
              + fix
              + " for an OpenBao path with a :");
    }
    if (body.isEmpty()) {
      throw new IllegalArgumentException(
          show(t) + " names no secret; expected " + form(name, store));
    }
    switch (store) {
      case AWS:
        return aws(name, body, t, whole);
      case GCP:
        return gcp(name, body, t, whole);
      case INFISICAL:
        return infisical(name, body, t, whole);
      default:
        return file(name, body, t, whole);
    }
  }

  /** {@code NAME} of a leading {@code NAME:} ({@code [a-z][a-z0-9-]*}), or null. */
  private static String prefixOf(String t) {
    int colon = t.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    String name = t.substring(0, colon);
    if (!name.matches("[a-z][a-z0-9-]*") || name.equals("vault")) {
      return null;
    }
    return name;
  }

  /** The form of a reference to {@code store}, for messages. */
  public static String form(String name, Store store) {
    String p = name + ":";
    switch (store) {
      case AWS:
        return p + "NAME#KEY (a JSON secret string), " + p + "NAME (the whole string)";
      case GCP:
        return p + "SECRET@latest, " + p + "SECRET@3#KEY (a JSON payload)";
      case INFISICAL:
        return p + "/FOLDER#NAME";
      case FILE:
        return p + "/ABSOLUTE/PATH#KEY (a dotenv or JSON file) or " + p + "/ABSOLUTE/PATH";
      default:
        return "PATH#KEY or PATH#KEY@VERSION";
    }
  }

  private static Reference aws(String name, String body, String shown, boolean whole) {
    String stage = null;
    String versionId = null;
    int q = body.indexOf('?');
    if (q >= 0) {
      String query = body.substring(q + 1);
      body = body.substring(0, q);
      if (query.indexOf('#') >= 0) {
        throw new IllegalArgumentException(
            show(shown) + ": the #KEY goes before the ?, as in " + name + ":NAME#KEY?stage=STAGE");
      }
      if (query.startsWith("stage=") && query.length() > 6) {
        stage = selector(query.substring(6), shown, name);
      } else if (query.startsWith("version-id=") && query.length() > 11) {
        versionId = selector(query.substring(11), shown, name);
      } else {
        throw new IllegalArgumentException(
            show(shown) + ": expected ?stage=STAGE or ?version-id=ID after the name");
      }
    }
    String[] nk = nameAndKey(body, shown, name, Store.AWS, whole);
    checkName(nk[0], shown, 2048, "an AWS secret name or ARN");
    return new Reference(name, Store.AWS, nk[0], nk[1], 0, false, stage, versionId);
  }

  private static String selector(String s, String shown, String name) {
    if (!s.matches("[A-Za-z0-9_.-]{1,256}")) {
      throw new IllegalArgumentException(
          show(shown) + ": a stage or version id takes letters, digits, _ . and -");
    }
    return s;
  }

  private static Reference gcp(String name, String body, String shown, boolean whole) {
    String[] nk = nameAndKey(body, shown, name, Store.GCP, whole);
    if (nk[1] != null && nk[0].indexOf('@') < 0 && nk[1].matches(".*@(latest|[0-9]+)")) {
      // a JSON key may hold @, but KEY@3 after an unversioned id is the OpenBao order by mistake
      throw new IllegalArgumentException(
          show(shown) + ": the @VERSION goes before the #KEY, as in " + name + ":SECRET@3#KEY");
    }
    String id = nk[0];
    int version = 0;
    int at = id.indexOf('@');
    if (at >= 0) {
      String v = id.substring(at + 1);
      id = id.substring(0, at);
      if (!v.equals("latest")) {
        try {
          version = v.matches("[0-9]{1,9}") ? Integer.parseInt(v) : -1;
        } catch (NumberFormatException e) {
          version = -1;
        }
        if (version <= 0) {
          throw new IllegalArgumentException(
              show(shown) + ": version " + show(v) + " must be latest or a whole number from 1");
        }
      }
    }
    if (!id.matches("[A-Za-z0-9_-]{1,255}")) {
      throw new IllegalArgumentException(
          show(shown)
              + ": a GCP secret id takes letters, digits, _ and - (the project is the block's)");
    }
    return new Reference(name, Store.GCP, id, nk[1], version, false, null, null);
  }

  private static Reference infisical(String name, String body, String shown, boolean whole) {
    String[] nk = nameAndKey(body, shown, name, Store.INFISICAL, whole);
    if (!whole && nk[1] == null) {
      throw new IllegalArgumentException(
          show(shown) + " has no #NAME; expected " + form(name, Store.INFISICAL));
    }
    String folder = nk[0];
    if (!folder.startsWith("/")) {
      throw new IllegalArgumentException(
          show(shown) + ": the folder starts with /; expected " + form(name, Store.INFISICAL));
    }
    String inner = stripSlashes(folder);
    if (!inner.isEmpty()) {
      checkPath(inner, shown);
    }
    return new Reference(name, Store.INFISICAL, "/" + inner, nk[1], 0, false, null, null);
  }

  private static Reference file(String name, String body, String shown, boolean whole) {
    String[] nk = nameAndKey(body, shown, name, Store.FILE, whole);
    if (!nk[0].startsWith("/")) {
      throw new IllegalArgumentException(
          show(shown) + ": write an absolute path; expected " + form(name, Store.FILE));
    }
    checkName(nk[0], shown, 4096, "a file path");
    for (String seg : nk[0].substring(1).split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
        throw new IllegalArgumentException(
            show(shown) + ": the path has an empty, . or .. segment; write it plainly");
      }
    }
    return new Reference(name, Store.FILE, nk[0], nk[1], 0, false, null, null);
  }

  /** {NAME, KEY or null}; a whole-secret reference takes no #KEY. */
  private static String[] nameAndKey(
      String body, String shown, String name, Store store, boolean whole) {
    int hash = body.indexOf('#');
    String n = hash < 0 ? body : body.substring(0, hash);
    String k = hash < 0 ? null : body.substring(hash + 1);
    if (whole && k != null) {
      throw new IllegalArgumentException(show(shown) + ": a whole-secret path takes no #KEY");
    }
    if (n.isEmpty()) {
      throw new IllegalArgumentException(
          show(shown) + " has nothing before #; expected " + form(name, store));
    }
    if (k != null && k.isEmpty()) {
      throw new IllegalArgumentException(
          show(shown) + " has no KEY after #; expected " + form(name, store));
    }
    if (k != null && hasControl(k)) {
      // the key is part of the reference every message and log line quotes
      throw new IllegalArgumentException(show(shown) + ": the #KEY has a control character");
    }
    return new String[] {n, k};
  }

  private static void checkName(String n, String shown, int max, String what) {
    if (n.length() > max) {
      throw new IllegalArgumentException(
          show(shown) + ": longer than " + max + " characters for " + what);
    }
    if (hasControl(n)) {
      throw new IllegalArgumentException(show(shown) + ": " + what + " has a control character");
    }
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
        return true;
      }
    }
    return false;
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
        version = v.matches("[0-9]{1,9}") ? Integer.parseInt(v) : -1;
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
    return version > 0 || stage != null || versionId != null;
  }

  /**
   * The backend block this reads from: "" for OpenBao, {@value #FILE} for the built-in file store.
   */
  public String backend() {
    return backend;
  }

  /** The grammar it was parsed with, which is the kind of store it reads. */
  public Store store() {
    return store;
  }

  /** AWS: the version stage asked for ({@code ?stage=}), or null (AWSCURRENT). */
  public String stage() {
    return stage;
  }

  /** AWS: the version id asked for ({@code ?version-id=}), or null. */
  public String versionId() {
    return versionId;
  }

  /** The same secret without its key: what one read of the store returns. */
  public Reference secret() {
    return key == null
        ? this
        : new Reference(backend, store, path, null, version, apiPath, stage, versionId);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Reference)) {
      return false;
    }
    Reference r = (Reference) o;
    return backend.equals(r.backend)
        && path.equals(r.path)
        && (key == null ? r.key == null : key.equals(r.key))
        && version == r.version
        && apiPath == r.apiPath
        && (stage == null ? r.stage == null : stage.equals(r.stage))
        && (versionId == null ? r.versionId == null : versionId.equals(r.versionId));
  }

  @Override
  public int hashCode() {
    int h = (path.hashCode() * 31 + (key == null ? 0 : key.hashCode())) * 31 + version;
    h = h * 31 + backend.hashCode();
    h = h * 31 + (stage == null ? 0 : stage.hashCode());
    h = h * 31 + (versionId == null ? 0 : versionId.hashCode());
    return apiPath ? ~h : h;
  }

  /** The reference as written (it names a location, never a value). */
  @Override
  public String toString() {
    switch (store) {
      case AWS:
        return backend
            + ":"
            + path
            + (key == null ? "" : "#" + key)
            + (stage != null
                ? "?stage=" + stage
                : versionId != null ? "?version-id=" + versionId : "");
      case GCP:
        return backend
            + ":"
            + path
            + (version > 0 ? "@" + version : "")
            + (key == null ? "" : "#" + key);
      case INFISICAL:
      case FILE:
        return backend + ":" + path + (key == null ? "" : "#" + key);
      default:
        // a first segment that reads as a prefix needs bao: to parse back as OpenBao
        return (apiPath ? VAULT : prefixOf(path) != null ? BAO : "")
            + path
            + (key == null ? "" : "#" + key)
            + (version > 0 ? "@" + version : "");
    }
  }
}
