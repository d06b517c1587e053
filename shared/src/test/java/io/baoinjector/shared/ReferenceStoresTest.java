package io.baoinjector.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.shared.Reference.Store;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every prefixed form of docs/configuration.md's "Reference forms" table, and its refusals. */
class ReferenceStoresTest {

  /** Blocks as a config would declare them; "sm" shows the block's name, not its type, prefixes. */
  private static final Function<String, Store> STORES =
      n -> {
        switch (n) {
          case "aws":
          case "sm":
            return Store.AWS;
          case "gcp":
            return Store.GCP;
          case "infisical":
            return Store.INFISICAL;
          default:
            return null;
        }
      };

  private static Reference parse(String text) {
    Reference r = Reference.parse(text, STORES);
    assertEquals(r, Reference.parse(r.toString(), STORES), "round trip of " + r);
    return r;
  }

  private static Reference whole(String text) {
    Reference r = Reference.wholeSecret(text, STORES);
    assertNull(r.key());
    assertEquals(r, Reference.wholeSecret(r.toString(), STORES), "round trip of " + r);
    return r;
  }

  private static String error(String text) {
    return refusal(() -> Reference.parse(text, STORES));
  }

  private static String wholeError(String text) {
    return refusal(() -> Reference.wholeSecret(text, STORES));
  }

  /** A refusal is one line and quotes at most the reference (cut short past 60 characters). */
  private static String refusal(Runnable parse) {
    String m = assertThrows(IllegalArgumentException.class, parse::run).getMessage();
    assertFalse(m.contains("\n") || m.contains("\r"), m);
    assertTrue(m.length() < 250, m);
    for (int i = 0; i < m.length(); i++) {
      assertTrue(m.charAt(i) >= 0x20, "a control character in " + m);
    }
    return m;
  }

  private static String times(char c, int n) {
    return new String(new char[n]).replace('\0', c);
  }

  @Test
  void awsNamesArnsKeysStagesAndVersionIds() {
    Reference r = parse("aws:prod/db#password");
    assertEquals("aws", r.backend());
    assertSame(Store.AWS, r.store());
    assertEquals("prod/db", r.path());
    assertEquals("password", r.key());
    assertNull(r.stage());
    assertNull(r.versionId());
    assertFalse(r.pinned());
    assertEquals("aws:prod/db#password", r.toString());
    assertEquals(parse("aws:prod/db"), r.secret());

    Reference plain = parse("aws:prod/api");
    assertNull(plain.key());
    assertSame(plain, plain.secret());
    assertEquals("aws:prod/api", plain.toString());

    Reference staged = parse("aws:prod/db#password?stage=AWSPREVIOUS");
    assertEquals("prod/db", staged.path());
    assertEquals("password", staged.key());
    assertEquals("AWSPREVIOUS", staged.stage());
    assertTrue(staged.pinned());
    assertEquals("aws:prod/db#password?stage=AWSPREVIOUS", staged.toString());
    assertEquals("AWSPREVIOUS", staged.secret().stage());
    assertFalse(staged.equals(r));

    Reference byId = parse("aws:prod/api?version-id=a1b2c3d4-5678-90ab-cdef-EXAMPLE11111");
    assertNull(byId.key());
    assertNull(byId.stage());
    assertEquals("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", byId.versionId());
    assertTrue(byId.pinned());

    String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";
    Reference byArn = parse("aws:" + arn + "#password");
    assertEquals(arn, byArn.path());
    assertEquals("password", byArn.key());

    // AWS names may hold @ (and +=.-_): none of it is a version
    Reference at = parse("aws:team@prod/db+x=y.z_w-v#k@3");
    assertEquals("team@prod/db+x=y.z_w-v", at.path());
    assertEquals("k@3", at.key());
    assertEquals(0, at.version());

    Reference other = parse("sm:prod/db#password");
    assertEquals("sm", other.backend());
    assertSame(Store.AWS, other.store());
    assertFalse(other.equals(r));
  }

  @Test
  void gcpLatestNumberedAndKeyed() {
    Reference r = parse("gcp:db-password");
    assertSame(Store.GCP, r.store());
    assertEquals("gcp", r.backend());
    assertEquals("db-password", r.path());
    assertEquals(0, r.version());
    assertNull(r.key());
    assertFalse(r.pinned());

    Reference latest = parse("gcp:db-password@latest#user");
    assertEquals("db-password", latest.path());
    assertEquals(0, latest.version());
    assertEquals("user", latest.key());
    assertEquals("gcp:db-password#user", latest.toString());
    assertEquals(parse("gcp:db-password#user"), latest);

    Reference seven = parse("gcp:db_password-2@7");
    assertEquals(7, seven.version());
    assertTrue(seven.pinned());
    assertEquals("gcp:db_password-2@7", seven.toString());

    Reference keyed = parse("gcp:db@12#user");
    assertEquals(12, keyed.version());
    assertEquals("user", keyed.key());
    assertEquals("gcp:db@12#user", keyed.toString());
    assertEquals(parse("gcp:db@12"), keyed.secret());
  }

  @Test
  void infisicalFolderAndName() {
    Reference r = parse("infisical:/app#DB_PASSWORD");
    assertSame(Store.INFISICAL, r.store());
    assertEquals("/app", r.path());
    assertEquals("DB_PASSWORD", r.key());
    assertEquals("infisical:/app#DB_PASSWORD", r.toString());

    Reference root = parse("infisical:/#API_KEY");
    assertEquals("/", root.path());
    assertEquals("infisical:/#API_KEY", root.toString());

    Reference nested = parse("infisical:/app/prod/#K");
    assertEquals("/app/prod", nested.path());

    assertEquals("/app", whole("infisical:/app").path());
    assertEquals("/", whole("infisical:/").path());
  }

  @Test
  void fileWithAndWithoutAKey() {
    Reference r = parse("file:/etc/app/local.env#DB_PASSWORD");
    assertSame(Store.FILE, r.store());
    assertEquals(Reference.FILE, r.backend());
    assertEquals("/etc/app/local.env", r.path());
    assertEquals("DB_PASSWORD", r.key());
    assertEquals("file:/etc/app/local.env#DB_PASSWORD", r.toString());

    Reference pem = parse("file:/run/secrets/tls.key");
    assertNull(pem.key());
    assertEquals("/run/secrets/tls.key", pem.path());

    // the built-in store needs no block, even with no stores at all
    assertEquals(r, Reference.parse("file:/etc/app/local.env#DB_PASSWORD", n -> null));
    assertEquals("/etc/app/local.env", whole("file:/etc/app/local.env").path());
  }

  @Test
  void baoIsOpenBaoWrittenOutForAPathWithAColon() {
    Reference r = parse("bao:kv:team/db#password@2");
    assertSame(Store.OPENBAO, r.store());
    assertEquals("", r.backend());
    assertEquals("kv:team/db", r.path());
    assertEquals("password", r.key());
    assertEquals(2, r.version());
    assertEquals(Reference.parse("kv:team/db#password@2"), r);

    assertEquals(Reference.parse("secret/app/db#password"), parse("bao:secret/app/db#password"));
    assertEquals(Reference.parse("secret/app/db#password"), parse("secret/app/db#password"));
    assertEquals(Reference.wholeSecret("secret/app/prod"), whole("bao:secret/app/prod"));
    assertEquals(Reference.wholeSecret("secret/app/prod"), whole("secret/app/prod"));
    assertEquals("kv:team/db", whole("bao:kv:team/db").path());
  }

  @Test
  void vaultIsRefusedWithTheFormToWriteAndNeverAsksTheStores() {
    List<String> asked = new ArrayList<String>();
    Function<String, Store> spy =
        n -> {
          asked.add(n);
          return STORES.apply(n);
        };
    // bank-vaults' form is exec's (env-references); under secrets: it would read as a path
    String m = refusal(() -> Reference.parse("vault:secret/data/app#password", spy));
    assertTrue(m.contains("write the path as for bao kv get"), m);
    assertFalse(m.contains("\n"), m);
    // a path without a prefix-shaped first segment never asks either
    Reference.parse("secret/app#k", spy);
    Reference.parse("Upper:x#k", spy);
    assertEquals(Arrays.<String>asList(), asked);
  }

  @Test
  void wholeSecretFormsForEnvFrom() {
    assertEquals("prod/api", whole("aws:prod/api").path());
    assertEquals("AWSPENDING", whole("aws:prod/api?stage=AWSPENDING").stage());
    assertEquals(3, whole("gcp:db@3").version());
    assertEquals(
        "\"aws:prod/db#password\": a whole-secret path takes no #KEY",
        wholeError("aws:prod/db#password"));
    assertEquals(
        "\"file:/etc/app/local.env#K\": a whole-secret path takes no #KEY",
        wholeError("file:/etc/app/local.env#K"));
    assertEquals(
        "\"infisical:/app#K\": a whole-secret path takes no #KEY", wholeError("infisical:/app#K"));
    assertEquals("\"secret/x#k\": a whole-secret path takes no #KEY", wholeError("secret/x#k"));
    assertEquals(
        "\"nope:x\": no backend is named \"nope\"; add it under backends:, or write bao:nope:x"
            + " for an OpenBao path with a :",
        wholeError("nope:x"));
  }

  @Test
  void anUnknownPrefixIsRefusedNamingTheWayOut() {
    assertEquals(
        "\"aws:prod/db#password\": no backend is named \"aws\"; add it under backends:, or write"
            + " bao:aws:prod/db#password for an OpenBao path with a :",
        refusal(() -> Reference.parse("aws:prod/db#password", n -> null)));
    // a long or unprintable one is not repeated: the message stays one short line
    assertEquals(
        "\"aws:a\\nb#k\": no backend is named \"aws\"; add it under backends:, or put bao: before"
            + " it for an OpenBao path with a :",
        refusal(() -> Reference.parse("aws:a\nb#k", n -> null)));
    // a block of the OpenBao grammar is no block
    refusal(() -> Reference.parse("aws:prod/db#password", n -> Store.OPENBAO));
    assertTrue(error("kv:team/db#password").contains("no backend is named \"kv\""));
  }

  @Test
  void eachStoreSaysItsFormWhenAPartIsMissing() {
    assertEquals(
        "\"aws:\" names no secret; expected aws:NAME#KEY (a JSON secret string), aws:NAME (the"
            + " whole string)",
        error("aws:"));
    assertEquals(
        "\"gcp:\" names no secret; expected gcp:SECRET@latest, gcp:SECRET@3#KEY (a JSON payload)",
        error(" gcp:  "));
    assertEquals(
        "\"file:\" names no secret; expected file:/ABSOLUTE/PATH#KEY (a dotenv or JSON file) or"
            + " file:/ABSOLUTE/PATH",
        error("file:"));
    assertEquals(
        "\"aws:#password\" has nothing before #; expected aws:NAME#KEY (a JSON secret string),"
            + " aws:NAME (the whole string)",
        error("aws:#password"));
    assertEquals(
        "\"file:/etc/a.env#\" has no KEY after #; expected file:/ABSOLUTE/PATH#KEY (a dotenv or"
            + " JSON file) or file:/ABSOLUTE/PATH",
        error("file:/etc/a.env#"));
    assertEquals(
        "\"infisical:/app\" has no #NAME; expected infisical:/FOLDER#NAME",
        error("infisical:/app"));
    assertEquals(
        "\"infisical:app#K\": the folder starts with /; expected infisical:/FOLDER#NAME",
        error("infisical:app#K"));
    assertEquals(
        "\"file:etc/a.env#K\": write an absolute path; expected file:/ABSOLUTE/PATH#KEY (a"
            + " dotenv or JSON file) or file:/ABSOLUTE/PATH",
        error("file:etc/a.env#K"));
  }

  @Test
  void badSelectorsAndVersionsAreNamed() {
    String query = "\"aws:prod/db?stage=\": expected ?stage=STAGE or ?version-id=ID after the name";
    assertEquals(query, error("aws:prod/db?stage="));
    assertTrue(
        error("aws:prod/db?label=x")
            .endsWith("expected ?stage=STAGE or ?version-id=ID" + " after the name"));
    String selector = ": a stage or version id takes letters, digits, _ . and -";
    assertEquals("\"aws:a?stage=X Y\"" + selector, error("aws:a?stage=X Y"));
    assertEquals("\"aws:a?stage=X?stage=Y\"" + selector, error("aws:a?stage=X?stage=Y"));
    // the key goes before the query, and the message says so
    assertEquals(
        "\"aws:a?stage=X#k\": the #KEY goes before the ?, as in aws:NAME#KEY?stage=STAGE",
        error("aws:a?stage=X#k"));
    assertEquals(
        "\"aws:a?version-id=" + times('v', 43) + "...\" (274 characters)" + selector,
        error("aws:a?version-id=" + times('v', 257)));

    String latest = " must be latest or a whole number from 1";
    assertEquals("\"gcp:db@0\": version \"0\"" + latest, error("gcp:db@0"));
    assertEquals("\"gcp:db@\": version \"\"" + latest, error("gcp:db@"));
    assertEquals("\"gcp:db@-1\": version \"-1\"" + latest, error("gcp:db@-1"));
    assertEquals("\"gcp:db@latest@3\": version \"latest@3\"" + latest, error("gcp:db@latest@3"));
    assertEquals(
        "\"gcp:db@99999999999\": version \"99999999999\"" + latest, error("gcp:db@99999999999"));
    String id = ": a GCP secret id takes letters, digits, _ and - (the project is the block's)";
    assertEquals("\"gcp:projects/p/secrets/db\"" + id, error("gcp:projects/p/secrets/db"));
    assertEquals("\"gcp:@3\"" + id, error("gcp:@3"));
    assertEquals("\"gcp:db.password\"" + id, error("gcp:db.password"));
  }

  @Test
  void hostileInputIsOneShortLine() {
    String control = ": an AWS secret name or ARN has a control character";
    assertEquals("\"aws:a\\nb#k\"" + control, error("aws:a\nb#k"));
    assertEquals("\"aws:a\\u0000b\"" + control, error("aws:a\u0000b"));
    assertEquals("\"aws:a\\u0085b\"" + control, error("aws:a\u0085b"));
    assertEquals(
        "\"file:/etc/a\\u001b[2J.env#K\": a file path has a control character",
        error("file:/etc/a\u001b[2J.env#K"));
    assertEquals(
        "\"infisical:/a\\u0009b#K\": PATH has a control character; write it as for bao kv get",
        error("infisical:/a\tb#K"));
    // keys end up in messages and logs as part of the reference: no control character there either
    assertEquals("\"aws:a#k\\ny\": the #KEY has a control character", error("aws:a#k\ny"));
    assertEquals(
        "\"file:/a#k\\u0007x\": the #KEY has a control character", error("file:/a#k\u0007x"));
    assertEquals("\"gcp:a#\\u000dk\": the #KEY has a control character", error("gcp:a#\rk"));
    assertEquals(
        "\"infisical:/#\\u007fK\": the #KEY has a control character", error("infisical:/#\u007fK"));

    String huge = times('a', 10_000);
    for (String[] c :
        new String[][] {
          {"aws:" + huge + "#k", "longer than 2048 characters for an AWS secret name or ARN"},
          {"file:/" + huge, "longer than 4096 characters for a file path"},
          {"infisical:/" + huge + "#K", "PATH is longer than 1024 characters"},
          {"gcp:" + huge, "a GCP secret id takes letters"},
          {"nope:" + huge, "no backend is named \"nope\""},
          {"bao:" + huge + "#k", "PATH is longer than 1024 characters"},
        }) {
      String m = error(c[0]);
      assertTrue(m.startsWith("\"" + c[0].substring(0, 60) + "...\" ("), m);
      assertTrue(m.contains(c[1]), m);
      assertTrue(m.length() < 200, m);
    }
    // a key may be long (JSON keys are), and the name before it is what is checked
    assertEquals(10_000, parse("aws:a#" + huge).key().length());

    assertEquals(
        "\"file:/etc//a.env#K\": the path has an empty, . or .. segment; write it plainly",
        error("file:/etc//a.env#K"));
    assertTrue(error("file:/etc/../shadow").contains("an empty, . or .. segment"));
    assertTrue(error("file:/etc/./a").contains("an empty, . or .. segment"));
    assertTrue(error("file:/").contains("an empty, . or .. segment"));
    assertTrue(error("file:/etc/").contains("an empty, . or .. segment"));
    assertTrue(error("infisical:/a/../b#K").contains("an empty, . or .. segment"));
    assertTrue(error("infisical:/a?x#K").contains("has a ?"));

    // # at odd places: the first # ends the name; a key may itself hold #
    assertEquals("b#c", parse("aws:a#b#c").key());
    assertEquals("b#c", parse("file:/a#b#c").key());
    assertEquals("##", parse("infisical:/#K##").key().substring(1));
    assertTrue(error("aws:##").contains("has nothing before #"));
    assertTrue(error("gcp:#").contains("has nothing before #"));
    assertTrue(error("infisical:#K").contains("has nothing before #"));
    assertTrue(error("bao:#k").contains("has no PATH before #"));
    assertTrue(error("bao:").contains("has no #KEY"));
  }

  @Test
  void aVersionIsDigitsOnly() {
    for (String t : new String[] {"secret/app#k@+3", "secret/app#k@-3", "gcp:db@+3", "gcp:db@3x"}) {
      String m = error(t);
      assertTrue(m.contains("whole number"), m);
    }
    assertEquals(3, Reference.parse("gcp:db@3", STORES).version());
  }

  @Test
  void aVersionOrStageInTheOpenBaoPlaceSaysWhereItGoes() {
    String g = error("gcp:db#password@3");
    assertTrue(g.contains("the @VERSION goes before the #KEY"), g);
    String a = error("aws:prod/db?stage=AWSPREVIOUS#k");
    assertTrue(a.contains("the #KEY goes before the ?"), a);
    // a JSON key with @ after a versioned id is a key
    assertEquals("user@3", Reference.parse("gcp:db@2#user@3", STORES).key());
  }
}
