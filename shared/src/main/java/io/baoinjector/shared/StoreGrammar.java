package io.baoinjector.shared;

import static io.baoinjector.shared.OpenBaoGrammar.bad;
import static io.baoinjector.shared.OpenBaoGrammar.checkPath;
import static io.baoinjector.shared.OpenBaoGrammar.hasControl;
import static io.baoinjector.shared.OpenBaoGrammar.hasDotSegment;
import static io.baoinjector.shared.OpenBaoGrammar.show;
import static io.baoinjector.shared.Reference.stripSlashes;

import io.baoinjector.shared.Reference.Store;
import java.util.function.Function;

/**
 * A {@link Reference} that may start with a store's prefix, and the grammar of each store a backend
 * block can be: the block's {@code type:} decides it, not its name.
 */
final class StoreGrammar {
  private StoreGrammar() {}

  static Reference parse(String text, Function<String, Store> stores, boolean whole) {
    String t = text == null ? "" : text.trim();
    if (t.startsWith(Reference.VAULT)) {
      // bank-vaults' API-path form belongs to exec's environment; here it would read as a path
      throw new IllegalArgumentException(
          "vault: is the form for values in exec's environment; here write the path as for bao kv"
              + " get, like secret/app/db#password");
    }
    String name = prefixOf(t);
    if (name == null) {
      return whole ? OpenBaoGrammar.wholeSecret(t) : Reference.parse(text);
    }
    String body = t.substring(name.length() + 1).trim();
    if (name.equals("bao")) {
      return whole
          ? OpenBaoGrammar.wholeSecret(body)
          : OpenBaoGrammar.parse(body, "bao:", t, false);
    }
    Store store = name.equals(Reference.FILE) ? Store.FILE : stores.apply(name);
    if (store == null || store == Store.OPENBAO) {
      // spelled out only when it is short and plain, so the message stays one short line
      String fix = show(t).equals("\"" + t + "\"") ? "write bao:" + t : "put bao: before it";
      throw bad(
          t,
          ": no backend is named \""
              + name
              + "\"; add it under backends:, or "
              + fix
              + " for an OpenBao path with a :");
    }
    if (body.isEmpty()) {
      throw bad(t, " names no secret; expected " + form(name, store));
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
  static String prefixOf(String t) {
    int colon = t.indexOf(':');
    String name = colon <= 0 ? "" : t.substring(0, colon);
    return name.matches("[a-z][a-z0-9-]*") && !name.equals("vault") ? name : null;
  }

  /** The form of a reference to {@code store}, for messages. */
  private static String form(String name, Store store) {
    String p = name + ":";
    switch (store) {
      case AWS:
        return p + "NAME#KEY (a JSON secret string), " + p + "NAME (the whole string)";
      case GCP:
        return p + "SECRET@latest, " + p + "SECRET@3#KEY (a JSON payload)";
      case INFISICAL:
        return p + "/FOLDER#NAME";
      default:
        return p + "/ABSOLUTE/PATH#KEY (a dotenv or JSON file) or " + p + "/ABSOLUTE/PATH";
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
        throw bad(shown, ": the #KEY goes before the ?, as in " + name + ":NAME#KEY?stage=STAGE");
      }
      if (query.startsWith("stage=") && query.length() > 6) {
        stage = selector(query.substring(6), shown);
      } else if (query.startsWith("version-id=") && query.length() > 11) {
        versionId = selector(query.substring(11), shown);
      } else {
        throw bad(shown, ": expected ?stage=STAGE or ?version-id=ID after the name");
      }
    }
    String[] nk = nameAndKey(body, shown, name, Store.AWS, whole);
    checkName(nk[0], shown, 2048, "an AWS secret name or ARN");
    return new Reference(name, Store.AWS, nk[0], nk[1], 0, false, stage, versionId);
  }

  private static String selector(String s, String shown) {
    if (!s.matches("[A-Za-z0-9_.-]{1,256}")) {
      throw bad(shown, ": a stage or version id takes letters, digits, _ . and -");
    }
    return s;
  }

  private static Reference gcp(String name, String body, String shown, boolean whole) {
    String[] nk = nameAndKey(body, shown, name, Store.GCP, whole);
    if (nk[1] != null && nk[0].indexOf('@') < 0 && nk[1].matches(".*@(latest|[0-9]+)")) {
      // a JSON key may hold @, but KEY@3 after an unversioned id is the OpenBao order by mistake
      throw bad(shown, ": the @VERSION goes before the #KEY, as in " + name + ":SECRET@3#KEY");
    }
    String id = nk[0];
    int version = 0;
    int at = id.indexOf('@');
    if (at >= 0) {
      String v = id.substring(at + 1);
      id = id.substring(0, at);
      if (!v.equals("latest")) {
        version = OpenBaoGrammar.version(v, shown, " must be latest or a whole number from 1");
      }
    }
    if (!id.matches("[A-Za-z0-9_-]{1,255}")) {
      throw bad(
          shown, ": a GCP secret id takes letters, digits, _ and - (the project is the block's)");
    }
    return new Reference(name, Store.GCP, id, nk[1], version, false, null, null);
  }

  private static Reference infisical(String name, String body, String shown, boolean whole) {
    String[] nk = nameAndKey(body, shown, name, Store.INFISICAL, whole);
    if (!whole && nk[1] == null) {
      throw bad(shown, " has no #NAME; expected " + form(name, Store.INFISICAL));
    }
    if (!nk[0].startsWith("/")) {
      throw bad(shown, ": the folder starts with /; expected " + form(name, Store.INFISICAL));
    }
    String inner = stripSlashes(nk[0]);
    if (!inner.isEmpty()) {
      checkPath(inner, shown);
    }
    return new Reference(name, Store.INFISICAL, "/" + inner, nk[1], 0, false, null, null);
  }

  private static Reference file(String name, String body, String shown, boolean whole) {
    String[] nk = nameAndKey(body, shown, name, Store.FILE, whole);
    if (!nk[0].startsWith("/")) {
      throw bad(shown, ": write an absolute path; expected " + form(name, Store.FILE));
    }
    checkName(nk[0], shown, 4096, "a file path");
    if (hasDotSegment(nk[0].substring(1))) {
      throw bad(shown, ": the path has an empty, . or .. segment; write it plainly");
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
      throw bad(shown, ": a whole-secret path takes no #KEY");
    }
    if (n.isEmpty()) {
      throw bad(shown, " has nothing before #; expected " + form(name, store));
    }
    if (k != null && k.isEmpty()) {
      throw bad(shown, " has no KEY after #; expected " + form(name, store));
    }
    if (k != null && hasControl(k)) {
      // the key is part of the reference every message and log line quotes
      throw bad(shown, ": the #KEY has a control character");
    }
    return new String[] {n, k};
  }

  private static void checkName(String n, String shown, int max, String what) {
    if (n.length() > max) {
      throw bad(shown, ": longer than " + max + " characters for " + what);
    }
    if (hasControl(n)) {
      throw bad(shown, ": " + what + " has a control character");
    }
  }
}
