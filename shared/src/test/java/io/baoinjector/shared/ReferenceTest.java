package io.baoinjector.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferenceTest {

  private static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void thePlainFormKeepsItsMessages() {
    Reference r = Reference.parse(" /secret/app/db/#password@3 ");
    assertEquals("secret/app/db", r.path());
    assertEquals("password", r.key());
    assertEquals(3, r.version());
    assertFalse(r.apiPath());
    assertEquals("secret/app/db#password@3", r.toString());
    assertEquals(
        "\"secret/app/db\" has no #KEY; expected PATH#KEY, e.g. secret/app/db#password",
        error(() -> Reference.parse("secret/app/db")));
    assertEquals(
        "\"a#b#3\" has more than one #; expected PATH#KEY", error(() -> Reference.parse("a#b#3")));
    assertEquals(
        "\"a#b@x\": version \"x\" must be a whole number from 1, as in PATH#KEY@3",
        error(() -> Reference.parse("a#b@x")));
    assertEquals(
        "\"#b\" has no PATH before #; expected PATH#KEY", error(() -> Reference.parse("#b")));
    assertEquals(
        "\"a#\" has no KEY after #; expected PATH#KEY", error(() -> Reference.parse("a#")));
    assertEquals(
        "empty reference; expected PATH#KEY or PATH#KEY@VERSION",
        error(() -> Reference.parse(" ")));
    assertEquals(
        "\"a//b#k\": PATH has an empty, . or .. segment; write it as for bao kv get",
        error(() -> Reference.parse("a//b#k")));
  }

  @Test
  void baoIsThePlainFormPrefixed() {
    Reference r = Reference.parsePrefixed("bao:secret/app#password@2");
    assertEquals(Reference.parse("secret/app#password@2"), r);
    assertEquals(r, Reference.parsePrefixed("bao:secret/app#password#2"));
    assertFalse(r.apiPath());
  }

  @Test
  void vaultIsTheApiPathWithEitherVersionSpelling() {
    Reference r = Reference.parsePrefixed("vault:secret/data/app#password#3");
    assertEquals("secret/data/app", r.path());
    assertEquals("password", r.key());
    assertEquals(3, r.version());
    assertTrue(r.apiPath());
    assertEquals(r, Reference.parsePrefixed("vault:secret/data/app#password@3"));
    assertEquals("vault:secret/data/app#password@3", r.toString());
    assertNotEquals(Reference.parsePrefixed("bao:secret/data/app#password@3"), r);
    assertEquals(0, Reference.parsePrefixed("vault:secret/data/app#password").version());
  }

  @Test
  void aMalformedPrefixedReferenceIsQuotedWholeWithItsForm() {
    assertEquals(
        "\"vault:secret/data/app\" has no #KEY; expected PATH#KEY, e.g."
            + " vault:secret/data/app/db#password",
        error(() -> Reference.parsePrefixed("vault:secret/data/app")));
    assertEquals(
        "\"vault:secret/app#k#x\": version \"x\" must be a whole number from 1, as in"
            + " vault:PATH#KEY#3",
        error(() -> Reference.parsePrefixed("vault:secret/app#k#x")));
    assertEquals(
        "\"bao:a#k@0\": version \"0\" must be a whole number from 1, as in bao:PATH#KEY@3",
        error(() -> Reference.parsePrefixed("bao:a#k@0")));
    assertEquals(
        "\"bao:\" names no secret; expected bao:PATH#KEY, e.g. bao:secret/app/db#password",
        error(() -> Reference.parsePrefixed("bao:")));
    assertEquals(
        "\"vault:a#b#1#2\" has more than one #; expected vault:PATH#KEY",
        error(() -> Reference.parsePrefixed("vault:a#b#1#2")));
  }

  @Test
  void isPrefixedLooksAtTheStartOnly() {
    assertTrue(Reference.isPrefixed("vault:x"));
    assertTrue(Reference.isPrefixed("bao:x"));
    assertFalse(Reference.isPrefixed(" vault:x"));
    assertFalse(Reference.isPrefixed("x ${vault:a#b}"));
    assertFalse(Reference.isPrefixed(null));
  }

  @Test
  void inlineReferencesAreFoundAndSubstitutedInOnePass() {
    String dsn =
        "postgres://${bao:secret/db#user}:${vault:secret/data/db#pw}@h/db?x=${bao:secret/db#user}";
    assertEquals(
        Arrays.asList(
            Reference.parsePrefixed("bao:secret/db#user"),
            Reference.parsePrefixed("vault:secret/data/db#pw")),
        Reference.inline(dsn));
    Map<Reference, String> values = new HashMap<>();
    values.put(Reference.parsePrefixed("bao:secret/db#user"), "u");
    // a value that looks like a reference is not expanded again
    values.put(Reference.parsePrefixed("vault:secret/data/db#pw"), "${bao:secret/db#user}");
    assertEquals(
        "postgres://u:${bao:secret/db#user}@h/db?x=u", Reference.substitute(dsn, values::get));
    assertEquals(Collections.emptyList(), Reference.inline("plain $HOME ${OTHER} vault:x"));
  }

  @Test
  void aMalformedInlineReferenceNeverQuotesTheRestOfTheValue() {
    String m = error(() -> Reference.inline("u:${vault:secret/data/db#pw@h/db-literal-canary"));
    assertEquals("a ${vault: is not closed with }; write ${vault:PATH#KEY}", m);
    assertEquals(
        "\"bao:secret/db\" has no #KEY; expected PATH#KEY, e.g. bao:secret/app/db#password",
        error(() -> Reference.inline("literal-canary ${bao:secret/db} more")));
  }

  @Test
  void aHugeRunOfSlashesIsRefusedAsFastAsAnyHugePath() {
    // exec reads every bao:/vault: value of its environment; trimming a path must stay linear
    // linear takes milliseconds, the backtracking regex it replaced over a minute: a wide margin
    String slashes = new String(new char[200_000]).replace('\0', '/');
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (String m :
              Arrays.asList(
                  error(() -> Reference.parse("secret" + slashes + "a#k")),
                  error(() -> Reference.parsePrefixed("bao:secret" + slashes + "a#k")),
                  error(() -> Reference.wholeSecret("secret" + slashes + "a")),
                  error(
                      () ->
                          Reference.parse(
                              "infisical:/f" + slashes + "g#K", n -> Reference.Store.INFISICAL)))) {
            assertTrue(m.contains("PATH is longer than 1024 characters"), m);
          }
        });
  }

  @Test
  void aPathTheHttpClientWouldRewriteOrAHugeOneIsOneShortLine() {
    String huge = "secret/" + new String(new char[100_000]).replace('\0', 'a');
    for (String m :
        Arrays.asList(
            error(() -> Reference.parse(huge + "#k")),
            error(() -> Reference.parsePrefixed("vault:" + huge + "#k")),
            error(() -> Reference.wholeSecret(huge)))) {
      assertTrue(m.length() < 200, m);
      assertTrue(
          m.matches(
              "\"[a-z:/]{60}\\.\\.\\.\" \\(1000\\d\\d characters\\): PATH is longer than 1024"
                  + " characters; shorten the secret's path"),
          m);
    }
    assertEquals(
        "\"secret/app?list=true#k\": PATH has a ?, which would become a query; write it as for"
            + " bao kv get",
        error(() -> Reference.parse("secret/app?list=true#k")));
    assertEquals(
        "\"secret/a\\nb#k\": PATH has a control character; write it as for bao kv get",
        error(() -> Reference.parse("secret/a\nb#k")));
    assertEquals(
        "\"secret/../sys/raw\": PATH has an empty, . or .. segment; write it as for bao kv get",
        error(() -> Reference.wholeSecret("secret/../sys/raw")));
    assertEquals(
        "\"secret/x?list=true\": PATH has a ?, which would become a query; write it as for bao"
            + " kv get",
        error(() -> Reference.wholeSecret("secret/x?list=true")));
  }

  @Test
  void aHostilePrefixedReferenceIsRefusedOnOneBoundedLine() {
    java.util.function.Function<String, Reference.Store> none = n -> null;
    String longBody = "zz:" + String.join("", Collections.nCopies(5000, "x")) + "#k";
    for (String text : new String[] {"zz:a\nb#k", "zz:a\u001b[2Jb#k", longBody}) {
      String m = error(() -> Reference.parse(text, none));
      assertFalse(m.contains("\n") || m.contains("\u001b"), m);
      assertTrue(m.length() < 300, m.length() + " characters: " + m.substring(0, 100));
      assertTrue(m.contains("no backend is named \"zz\""), m);
    }
    // a short plain one still says what to write
    assertTrue(
        error(() -> Reference.parse("zz:a#k", none))
            .endsWith("or write bao:zz:a#k for an OpenBao path with a :"));
    // a key is printed as part of the reference in log lines: no control characters in it
    for (String text : new String[] {"file:/etc/app.env#K\nX", "file:/etc/app.env#K\u001bX"}) {
      String m = error(() -> Reference.parse(text, none));
      assertTrue(m.contains("control character"), m);
      assertFalse(m.contains("\n") || m.contains("\u001b"), m);
    }
  }
}
