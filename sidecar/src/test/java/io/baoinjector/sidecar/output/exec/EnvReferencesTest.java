package io.baoinjector.sidecar.output.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.config.ConfigLoader;
import io.baoinjector.sidecar.config.SidecarConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which variables become names, how values are put back together, and the one-line refusals. */
class EnvReferencesTest {
  static final String CANARY = "canary-literal-Zq7";

  /** A config with only {@code secrets} (the {@code secrets:} a file gives is replaced). */
  static SidecarConfig config(boolean on, Map<String, Reference> secrets) {
    String yaml =
        "openbao:\n  address: http://127.0.0.1:8200\nsecrets:\n  A: secret/a#b\n"
            + "env-references: "
            + on
            + "\n";
    return ConfigLoader.load(yaml, Path.of("sidecar.yaml"), Map.of("BAO_TOKEN", "t"))
        .withSecrets(secrets);
  }

  static final Map<String, String> ENV =
      Map.of(
          "HOME", "/root",
          "PW", "vault:secret/data/app#password#3",
          "KEY", "bao:secret/app#api_key@2",
          "DSN", "postgres://${bao:secret/db#user}:${vault:secret/data/db#pw}@h/db",
          "LOOKS_LIKE", "vault-ish:" + CANARY);

  @Test
  void offLeavesEveryValueAlone() {
    SidecarConfig c = config(false, Map.of());
    assertSame(EnvReferences.NONE, EnvReferences.scan(c, ENV));
    assertSame(c, EnvReferences.NONE.addTo(c));
    Map<String, String> resolved = Map.of("A", "1");
    assertEquals(resolved, EnvReferences.NONE.expand(resolved));
  }

  @Test
  void everyFormBecomesAName() {
    Map<String, Reference> base = Map.of("A", Reference.parse("secret/a#k"));
    SidecarConfig c = EnvReferences.scan(config(true, base), ENV).addTo(config(true, base));
    Map<String, Reference> expected = new LinkedHashMap<>();
    expected.put("A", Reference.parse("secret/a#k"));
    expected.put("DSN[0]", Reference.parsePrefixed("bao:secret/db#user"));
    expected.put("DSN[1]", Reference.parsePrefixed("vault:secret/data/db#pw"));
    expected.put("KEY", Reference.parse("secret/app#api_key@2"));
    expected.put("PW", Reference.parsePrefixed("vault:secret/data/app#password@3"));
    assertEquals(expected, c.secrets());
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(c.secrets().keySet()));
  }

  @Test
  void expandPutsInlineValuesBackTogetherAndDropsTheParts() {
    EnvReferences r = EnvReferences.scan(config(true, Map.of()), ENV);
    Map<String, String> resolved = new LinkedHashMap<>();
    resolved.put("PW", "p1");
    resolved.put("KEY", "k1");
    resolved.put("DSN[0]", "u");
    resolved.put("DSN[1]", "s3cr");
    Map<String, String> child = r.expand(resolved);
    assertEquals(Map.of("PW", "p1", "KEY", "k1", "DSN", "postgres://u:s3cr@h/db"), child);
    resolved.remove("DSN[1]");
    assertEquals(Map.of("PW", "p1", "KEY", "k1"), r.expand(resolved));
  }

  @Test
  void eachMalformedReferenceIsOneLineNamingTheVariableNeverAnotherValue() {
    Map<String, String> env =
        Map.of(
            "NO_KEY", "vault:secret/data/app",
            "BAD_VERSION", "bao:secret/app#pw@latest",
            "UNCLOSED", "u:${vault:secret/data/db#pw@h/" + CANARY,
            "FINE", "vault:secret/data/app#pw",
            "PLAIN", CANARY);
    EnvReferences.Rejected e =
        assertThrows(
            EnvReferences.Rejected.class, () -> EnvReferences.scan(config(true, Map.of()), env));
    assertEquals(
        List.of(
            "env-references: BAD_VERSION: \"bao:secret/app#pw@latest\": version \"latest\" must be"
                + " a whole number from 1, as in bao:PATH#KEY@3",
            "env-references: NO_KEY: \"vault:secret/data/app\" has no #KEY; expected PATH#KEY,"
                + " e.g. vault:secret/data/app/db#password",
            "env-references: UNCLOSED: a ${vault: is not closed with }; write ${vault:PATH#KEY}"),
        e.lines());
    assertEquals(-1, e.getMessage().indexOf(CANARY));
    assertEquals(0, e.getStackTrace().length);
  }

  @Test
  void aConfigWithNoNamesNeedsAReferenceInTheEnvironment() {
    EnvReferences.Rejected e =
        assertThrows(
            EnvReferences.Rejected.class,
            () -> EnvReferences.scan(config(true, Map.of()), Map.of("HOME", "/root")));
    assertEquals(
        List.of(
            "env-references: nothing to hand out: secrets:, env-from: and properties: are empty"
                + " and no variable of the environment is a vault: or bao: reference"),
        e.lines());
  }

  @Test
  void aVariableAlsoInSecretsIsRefused() {
    SidecarConfig c = config(true, Map.of("PW", Reference.parse("secret/other#pw")));
    EnvReferences.Rejected e =
        assertThrows(
            EnvReferences.Rejected.class,
            () -> EnvReferences.scan(c, Map.of("PW", "vault:secret/data/app#password")));
    assertEquals(
        List.of(
            "env-references: PW is also in secrets:; keep one (remove the secrets: entry or the"
                + " reference from the environment)"),
        e.lines());
  }

  @Test
  @org.junit.jupiter.api.Timeout(20)
  void tenThousandReferencesInOneValueAreNamedAndPutBackWithoutAnyVarPartLeaking() {
    StringBuilder v = new StringBuilder();
    Map<String, String> resolved = new LinkedHashMap<>();
    for (int i = 0; i < 10_000; i++) {
      v.append("${bao:secret/k").append(i).append("#v},");
      resolved.put("BIG[" + i + "]", "x" + i);
    }
    EnvReferences refs = EnvReferences.scan(config(true, Map.of()), Map.of("BIG", v.toString()));
    SidecarConfig c = refs.addTo(config(true, Map.of()));
    assertEquals(10_000, c.secrets().size());
    Map<String, String> child = refs.expand(resolved);
    assertEquals(java.util.Set.of("BIG"), child.keySet(), "no BIG[i] reaches the child");
    assertTrue(child.get("BIG").startsWith("x0,x1,x2,"), child.get("BIG").substring(0, 20));
    assertTrue(child.get("BIG").endsWith(",x9999,"));
  }
}
