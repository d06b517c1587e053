package io.baoinjector.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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

  /** The longest PATH accepted: a longer one made OpenBao answer only at the client's timeout. */
  public static final int MAX_PATH = 1024;

  private final String backend;
  private final Store store;
  private final String path;
  private final String key;
  private final int version;
  private final boolean apiPath;
  private final String stage;
  private final String versionId;

  Reference(String path, String key, int version, boolean apiPath) {
    this("", Store.OPENBAO, path, key, version, apiPath, null, null);
  }

  Reference(
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
    return OpenBaoGrammar.parse(text.trim(), "", text.trim(), false);
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
    return StoreGrammar.parse(text, stores, false);
  }

  /** {@link #parse(String, Function)} for a whole secret (no {@code #KEY}), as env-from names. */
  public static Reference wholeSecret(String text, Function<String, Store> stores) {
    return StoreGrammar.parse(text, stores, true);
  }

  /** A reference to a whole secret (no key), as {@code env-from} uses. */
  public static Reference wholeSecret(String path) {
    return OpenBaoGrammar.wholeSecret(path);
  }

  /**
   * {@code s} without its leading and trailing slashes, as a PATH is kept. By index, not {@code
   * replaceAll("^/+|/+$", "")}: that regex takes seconds on a long inner run of slashes.
   */
  public static String stripSlashes(String s) {
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
    return OpenBaoGrammar.parsePrefixed(text);
  }

  /**
   * The references inside {@code value} as {@code ${vault:…}} or {@code ${bao:…}}, in order, each
   * once; empty when there are none.
   *
   * @throws IllegalArgumentException for one that is unclosed (without quoting the rest of the
   *     value, which may hold a literal secret) or malformed
   */
  public static List<Reference> inline(String value) {
    List<Reference> out = new ArrayList<Reference>();
    substitute(
        value,
        r -> {
          if (!out.contains(r)) {
            out.add(r);
          }
          return "";
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
        && Objects.equals(key, r.key)
        && version == r.version
        && apiPath == r.apiPath
        && Objects.equals(stage, r.stage)
        && Objects.equals(versionId, r.versionId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(backend, path, key, version, apiPath, stage, versionId);
  }

  /** The reference as written (it names a location, never a value). */
  @Override
  public String toString() {
    String k = key == null ? "" : "#" + key;
    String v = version > 0 ? "@" + version : "";
    if (store == Store.OPENBAO) {
      // a first segment that reads as a prefix needs bao: to parse back as OpenBao
      return (apiPath ? VAULT : StoreGrammar.prefixOf(path) != null ? BAO : "") + path + k + v;
    }
    // a store's grammar sets only its own parts: a version is GCP's, a stage or version id AWS's
    String query =
        stage != null ? "?stage=" + stage : versionId != null ? "?version-id=" + versionId : "";
    return backend + ":" + path + v + k + query;
  }
}
