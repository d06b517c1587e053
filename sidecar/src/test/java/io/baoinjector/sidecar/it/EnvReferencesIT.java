package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.Await;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code env-references: true}: {@code vault:}/{@code bao:} values of the deployer's environment,
 * resolved by a real {@code bao-injector exec} against a real OpenBao and kept current.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(180)
class EnvReferencesIT {
  static final String V1 = "canary-v1-'$x";
  static final String V2 = "canary-v2-\\y";
  static final String KV1 = "canary-kv1";
  static final String USER = "canary-user";
  static final String DBPW = "canary-dbpw";

  /** A token-auth config, refreshing every second; {@code secrets} indented, may be "". */
  static Path config(Path work, OpenBao bao, String secrets, boolean envReferences)
      throws Exception {
    String yaml =
        String.join(
            "\n",
            "openbao: {address: " + bao.address() + "}",
            "auth: {method: token}",
            "refresh: {interval: 1s}",
            "env-references: " + envReferences,
            secrets.isEmpty() ? "" : "secrets:\n" + secrets,
            "");
    return Files.writeString(work.resolve("sidecar.yaml"), yaml);
  }

  /** secret/app at versions 1 and 2, secret/db, and kv1/data/app on a KV v1 mount. */
  static void seed(OpenBao bao) {
    bao.put("app", Map.of("password", V1));
    bao.put("app", Map.of("password", V2));
    bao.put("db", Map.of("user", USER, "pw", DBPW));
    bao.enableKvV1("kv1");
    bao.kvV1Put("kv1", "data/app", Map.of("password", KV1));
  }

  static final Map<String, String> FORMS =
      Map.of(
          "V_DATA", "vault:secret/data/app#password",
          "V_KV1", "vault:kv1/data/app#password",
          "B_PATH", "bao:secret/app#password",
          "V_HASH_VERSION", "vault:secret/data/app#password#1",
          "B_AT_VERSION", "bao:secret/app#password@1",
          "DSN", "postgres://${bao:secret/db#user}:${vault:secret/data/db#pw}@h/db");

  static final List<String> ORDER =
      List.of("V_DATA", "V_KV1", "B_PATH", "V_HASH_VERSION", "B_AT_VERSION", "DSN");

  /** The child prints the variables in ORDER, separated by |. */
  static final String[] PRINT_FORMS = {
    "sh", "-c", "printf %s \"$" + String.join("|$", ORDER).replace("|", "\"'|'\"") + "\""
  };

  static SidecarProcess.Result exec(Path work, Map<String, String> env, Path cfg, String... cmd) {
    List<String> args = new ArrayList<>(List.of("exec", "-c", cfg.toString(), "--"));
    args.addAll(List.of(cmd));
    return SidecarProcess.runToEnd(work, env, args.toArray(String[]::new));
  }

  static Map<String, String> env(OpenBao bao, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    env.put("BAO_TOKEN", bao.rootToken());
    return env;
  }

  static void assertNoValue(String text) {
    assertFalse(text.contains("canary"), text);
  }

  @Test
  void everyFormReachesTheChild(OpenBao bao, @TempDir Path work) throws Exception {
    seed(bao);
    Path cfg = config(work, bao, "", true);
    SidecarProcess.Result r = exec(work, env(bao, FORMS), cfg, PRINT_FORMS);
    assertEquals(0, r.exit(), r.stderr());
    assertEquals(
        String.join("|", V2, KV1, V2, V1, V1, "postgres://" + USER + ":" + DBPW + "@h/db"),
        r.stdout());
    assertNoValue(r.stderr());
  }

  @Test
  void withoutTheOptInValuesPassUntouched(OpenBao bao, @TempDir Path work) throws Exception {
    seed(bao);
    Path cfg = config(work, bao, "  DB_PW: secret/db#pw", false);
    SidecarProcess.Result r = exec(work, env(bao, FORMS), cfg, PRINT_FORMS);
    assertEquals(0, r.exit(), r.stderr());
    assertEquals(String.join("|", ORDER.stream().map(FORMS::get).toList()), r.stdout());
  }

  @Test
  void aRotationReachesTheRestartedChild(OpenBao bao, @TempDir Path work) throws Exception {
    seed(bao);
    Path cfg = config(work, bao, "", true);
    Path seen = work.resolve("seen");
    try (SidecarProcess p =
        SidecarProcess.start(
            work,
            env(
                bao,
                Map.of(
                    "PW", "vault:secret/data/app#password",
                    "DSN", "u:${bao:secret/app#password}@h",
                    "SEEN", seen.toString())),
            "exec",
            "-c",
            cfg.toString(),
            "--on-change",
            "restart",
            "--",
            "sh",
            "-c",
            "printf '%s %s\\n' \"$PW\" \"$DSN\" >> \"$SEEN\"; exec sleep 300")) {
      Await.until(
          Duration.ofSeconds(60), p::stderr, () -> Files.exists(seen) && lines(seen).size() == 1);
      assertEquals(List.of(V2 + " u:" + V2 + "@h"), lines(seen));
      bao.cli("kv", "put", "secret/app", "password=canary-v3");
      Await.until(
          Duration.ofSeconds(60),
          () -> p.stderr() + "\nseen: " + lines(seen).size(),
          () -> lines(seen).size() == 2);
      assertEquals("canary-v3 u:canary-v3@h", lines(seen).get(1));
      p.terminate();
      assertNoValue(p.stdout() + p.stderr());
    }
  }

  @Test
  void aPathTheTokenMayNotReadIsOneLineAndExit2(OpenBao bao, @TempDir Path work) throws Exception {
    seed(bao);
    bao.writePolicy("app", "path \"secret/data/app\" { capabilities = [\"read\"] }\n");
    String token = bao.createToken(Map.of("policies", List.of("app")));
    Path cfg = config(work, bao, "", true);
    Path ran = work.resolve("ran");
    SidecarProcess.Result r =
        exec(
            work,
            Map.of(
                "BAO_TOKEN", token,
                "OK", "vault:secret/data/app#password",
                "DSN", "postgres://u:${vault:secret/data/db#pw}@h/db"),
            cfg,
            "touch",
            ran.toString());
    assertEquals(2, r.exit(), r.stderr());
    assertTrue(
        r.stderr()
            .contains(
                "bao-injector: env-references: DSN: the token may not read secret/data/db"
                    + " (grant \"read\" on it in the policy)\n"),
        r.stderr());
    assertEquals(1, r.stderr().split("env-references", -1).length - 1, r.stderr());
    assertFalse(Files.exists(ran), "the child never starts");
    assertNoValue(r.stdout() + r.stderr());
  }

  @Test
  void aMalformedReferenceIsOneLineNamingTheVariableAndExit2(OpenBao bao, @TempDir Path work)
      throws Exception {
    seed(bao);
    Path cfg = config(work, bao, "", true);
    Path ran = work.resolve("ran");
    SidecarProcess.Result r =
        exec(
            work,
            env(
                bao,
                Map.of(
                    "NO_KEY", "vault:secret/data/app",
                    "LITERAL", "canary-literal ${bao:secret/app#password@x}",
                    "FINE", "vault:secret/data/app#password")),
            cfg,
            "touch",
            ran.toString());
    assertEquals(2, r.exit(), r.stderr());
    assertEquals(
        "bao-injector: env-references: LITERAL: \"bao:secret/app#password@x\": version \"x\""
            + " must be a whole number from 1, as in bao:PATH#KEY@3\n"
            + "bao-injector: env-references: NO_KEY: \"vault:secret/data/app\" has no #KEY;"
            + " expected PATH#KEY, e.g. vault:secret/data/app/db#password\n",
        r.stderr());
    assertFalse(Files.exists(ran), "the child never starts");
  }

  static List<String> lines(Path p) {
    try {
      return Files.exists(p) ? Files.readAllLines(p) : List.of();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }
}
