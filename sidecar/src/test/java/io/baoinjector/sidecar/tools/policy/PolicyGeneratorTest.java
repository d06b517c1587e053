package io.baoinjector.sidecar.tools.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.config.ConfigLoader;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.Mount;
import io.baoinjector.sidecar.tools.ToolFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** What the generator emits for which config, with the engines given (no OpenBao needed). */
class PolicyGeneratorTest {
  static final Function<String, Mount> MOUNTS =
      p ->
          p.startsWith("secret/")
              ? new Mount("secret/", "kv", 2)
              : p.startsWith("kv1/")
                  ? new Mount("kv1/", "kv", 1)
                  : new Mount("database/", "database", 0);

  static SidecarConfig load(String yaml) {
    return ConfigLoader.load(
        "openbao:\n  address: http://127.0.0.1:1\nauth:\n  method: token\n" + yaml,
        Path.of("sidecar.yaml"),
        Map.of("BAO_TOKEN", "t"));
  }

  static List<String> paths(SidecarConfig c) {
    return PolicyGenerator.stanzas(c, MOUNTS).stream()
        .map(s -> s.path() + " " + s.capabilities())
        .toList();
  }

  @Test
  void kvOnlyNeedsNoLeaseLinesAndNoRevokeSelfWithoutRevokeOnExit() {
    SidecarConfig c = load("secrets:\n  A: secret/app/a#k\n  B: kv1/app/b#k\n");
    assertEquals(
        List.of(
            "secret/data/app/a [read]",
            "secret/metadata/app/a [read]",
            "kv1/app/b [read]",
            "auth/token/lookup-self [read]",
            "auth/token/renew-self [update]"),
        paths(c));
  }

  @Test
  void aPathOnlyPinnedNamesReadNeedsNoMetadata() {
    SidecarConfig c = load("secrets:\n  A: secret/app/a#k@2\n  B: secret/app/a#j@3\n");
    assertEquals("secret/data/app/a [read]", paths(c).get(0));
    assertEquals("auth/token/lookup-self [read]", paths(c).get(1));
    SidecarConfig mixed = load("secrets:\n  A: secret/app/a#k@2\n  B: secret/app/a#j\n");
    assertEquals("secret/metadata/app/a [read]", paths(mixed).get(1));
  }

  @Test
  void leasesRenewAlwaysRevokeOnlyWithRevokeReplaced() {
    SidecarConfig on = load("revoke-on-exit: true\nsecrets:\n  U: database/creds/app#username\n");
    assertEquals(
        List.of(
            "database/creds/app [read]",
            "sys/leases/renew [update]",
            "sys/leases/revoke [update]",
            "auth/token/lookup-self [read]",
            "auth/token/renew-self [update]",
            "auth/token/revoke-self [update]"),
        paths(on));
    SidecarConfig off =
        load("leases:\n  revoke-replaced: false\nsecrets:\n  U: database/creds/app#username\n");
    assertEquals(
        List.of(
            "database/creds/app [read]",
            "sys/leases/renew [update]",
            "auth/token/lookup-self [read]",
            "auth/token/renew-self [update]"),
        paths(off));
  }

  @Test
  void eachStanzaSaysWhichNamesNeedItAndQuotesThePath() {
    SidecarConfig c =
        load(
            "secrets:\n  A: secret/app/a#k\n  B: secret/app/a#j\nenv-from:\n  - secret/app/e\n"
                + "properties:\n  p.q: secret/app/\"x#k\n");
    String hcl = PolicyGenerator.hcl(c, PolicyGenerator.stanzas(c, MOUNTS));
    assertTrue(
        hcl.contains(
            "# A, B: the value (KV v2 secret/)\npath \"secret/data/app/a\" {\n"
                + "  capabilities = [\"read\"]\n}\n"),
        hcl);
    assertTrue(hcl.contains("# env-from[0]: the value"), hcl);
    assertTrue(hcl.contains("# property p.q: the value"), hcl);
    assertTrue(hcl.contains("path \"secret/data/app/\\\"x\" {"), hcl);
  }

  @Test
  void aPathThatWouldBeAWildcardIsRefusedNamingIt() {
    for (String ref : List.of("secret/app/*#k", "secret/+/db#k")) {
      SidecarConfig c = load("secrets:\n  A: " + ref + "\n");
      ToolFailure e = assertThrows(ToolFailure.class, () -> PolicyGenerator.stanzas(c, MOUNTS));
      assertEquals(2, e.exit);
      assertTrue(
          e.getMessage().startsWith("A: " + ref.split("#")[0] + " would be a wildcard"),
          e.getMessage());
    }
  }

  /** Every line is a comment, blank, or part of one exact stanza: nothing else reaches HCL. */
  private static void assertOnlyStanzas(String hcl) {
    for (String line : hcl.split("\n", -1)) {
      assertTrue(
          line.isEmpty()
              || line.startsWith("# ")
              || line.matches("path \"([^\"\\\\$]|\\\\[\"\\\\])*\" \\{")
              || line.matches("  capabilities = \\[\"(read|update)\"\\]")
              || line.equals("}"),
          "not a stanza line: " + line);
    }
  }

  @Test
  void aConfigFileNameCannotAddALineToThePolicy() {
    String injected = "x\npath \"sys/*\" {\n  capabilities = [\"sudo\"]\n}\n";
    SidecarConfig c =
        ConfigLoader.load(
            "openbao:\n  address: http://127.0.0.1:1\nauth:\n  method: token\n"
                + "secrets:\n  A: secret/app/a#k\n",
            Path.of(injected + ".yaml"),
            Map.of("BAO_TOKEN", "t"));
    assertOnlyStanzas(PolicyGenerator.hcl(c, PolicyGenerator.stanzas(c, MOUNTS)));
  }

  @Test
  void aPathWithAnHclTemplateOpeningIsRefused() {
    SidecarConfig c = load("secrets:\n  A: secret/app/a${x#k\n");
    ToolFailure e = assertThrows(ToolFailure.class, () -> PolicyGenerator.stanzas(c, MOUNTS));
    assertEquals(2, e.exit);
    assertEquals(
        "A: secret/app/a${x has ${, which HCL reads as a template; rename the secret to grant"
            + " exactly it",
        e.getMessage());
  }
}
