package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code render}, {@code env}, {@code exec} and {@code check --online} as real processes. */
@ExtendWith(OpenBaoExtension.class)
@Timeout(180)
class OneShotCommandsIT {
  static final String PASSWORD = "canary-'$x\\y";

  static Path config(Path work, OpenBao bao, String secrets, String outputs) throws Exception {
    Path cfg = work.resolve("sidecar.yaml");
    Files.writeString(cfg, TokenConfig.yaml(bao.address(), secrets + "\n" + outputs + "\n"));
    return cfg;
  }

  /** Runs {@code command -c cfg args...} to its end with the root token in BAO_TOKEN. */
  static SidecarProcess.Result asRoot(
      OpenBao bao, Path work, Path cfg, String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command, "-c", cfg.toString()));
    all.addAll(List.of(args));
    return SidecarProcess.runToEnd(
        work, Map.of("BAO_TOKEN", bao.rootToken()), all.toArray(String[]::new));
  }

  static String dotenvAt(Path file) {
    return "outputs:\n  files:\n    - path: %s\n      format: dotenv\n".formatted(file);
  }

  static final String SECRETS =
      "  DB_USER: secret/app/db#username\n  DB_PASSWORD: secret/app/db#password";

  @Test
  void renderWritesEveryFileOnceAndExitsZero(OpenBao bao, @TempDir Path work) throws Exception {
    bao.put("app/db", Map.of("username", "app", "password", PASSWORD));
    try (TmpfsDir t = new TmpfsDir()) {
      Path cfg = config(work, bao, SECRETS, dotenvAt(t.resolve("app.env")));
      SidecarProcess.Result r = asRoot(bao, work, cfg, "render");
      assertEquals(0, r.exit(), r.stderr());
      assertEquals(
          PASSWORD,
          SidecarRunIT.bash("set -a; . " + t.resolve("app.env") + "; printf %s \"$DB_PASSWORD\""));
      assertFalse(r.stderr().contains("canary"), r.stderr());
    }
  }

  @Test
  void renderFailsWithOneLineNamingTheUnresolvedName(OpenBao bao, @TempDir Path work)
      throws Exception {
    bao.put("app/db", Map.of("username", "app"));
    try (TmpfsDir t = new TmpfsDir()) {
      Path cfg = config(work, bao, SECRETS, dotenvAt(t.resolve("app.env")));
      SidecarProcess.Result r = asRoot(bao, work, cfg, "render");
      assertEquals(1, r.exit(), r.stderr());
      assertTrue(r.stderr().contains("could not resolve DB_PASSWORD"), r.stderr());
      assertTrue(
          r.stderr()
              .contains("DB_PASSWORD: secret/app/db has no key \"password\" (its keys: username)"),
          "the warning says why:\n" + r.stderr());
      assertTrue(
          r.stderr().strip().endsWith("token cannot read)"),
          "the error is the last line:\n" + r.stderr());
      assertFalse(Files.exists(t.resolve("app.env")), "no half-written file");
      assertFalse(r.stderr().contains("\tat "), "no stack trace:\n" + r.stderr());
    }
  }

  @Test
  void envPrintsExportLinesBashCanEvalAndJson(OpenBao bao, @TempDir Path work) throws Exception {
    bao.put("app/db", Map.of("username", "app", "password", PASSWORD));
    Path cfg = config(work, bao, SECRETS, "");
    SidecarProcess.Result r = asRoot(bao, work, cfg, "env");
    assertEquals(0, r.exit(), r.stderr());
    Path script = work.resolve("env.sh");
    Files.writeString(script, r.stdout());
    assertEquals(PASSWORD, SidecarRunIT.bash(". " + script + "; printf %s \"$DB_PASSWORD\""));

    SidecarProcess.Result j = asRoot(bao, work, cfg, "env", "--format", "json");
    assertEquals(0, j.exit(), j.stderr());
    assertEquals(PASSWORD, SidecarRunIT.JSON.readTree(j.stdout()).path("DB_PASSWORD").asText());
  }

  @Test
  void execGivesTheChildTheValuesButNotTheSidecarsToken(OpenBao bao, @TempDir Path work)
      throws Exception {
    bao.put("app/db", Map.of("username", "app", "password", PASSWORD));
    Path cfg = config(work, bao, SECRETS, "");
    SidecarProcess.Result r =
        SidecarProcess.runToEnd(
            work,
            Map.of("BAO_TOKEN", bao.rootToken(), "KEEP_ME", "kept"),
            "exec",
            "-c",
            cfg.toString(),
            "--",
            "sh",
            "-c",
            "printf '%s|%s|%s|%s' \"$DB_PASSWORD\" \"$DB_USER\" \"${BAO_TOKEN:-none}\" \"$KEEP_ME\";"
                + " exit 7");
    assertEquals(7, r.exit(), "the child's exit code:\n" + r.stderr());
    assertEquals(PASSWORD + "|app|none|kept", r.stdout());

    SidecarProcess.Result passed =
        asRoot(
            bao,
            work,
            cfg,
            "exec",
            "--pass-env",
            "BAO_TOKEN",
            "--",
            "sh",
            "-c",
            "test \"$BAO_TOKEN\" = '" + bao.rootToken() + "'");
    assertEquals(0, passed.exit(), "--pass-env keeps the named credential:\n" + passed.stderr());
  }

  @Test
  void execOfAMissingCommandSaysSoOnceAndExits127(OpenBao bao, @TempDir Path work)
      throws Exception {
    bao.put("app/db", Map.of("username", "app", "password", PASSWORD));
    Path cfg = config(work, bao, SECRETS, "");
    SidecarProcess.Result r = asRoot(bao, work, cfg, "exec", "--", "/nonexistent/cmd");
    assertEquals(127, r.exit(), r.stderr());
    assertTrue(
        r.stderr().contains("bao-injector: exec: cannot start /nonexistent/cmd: no such file\n"),
        r.stderr());
    assertEquals(1, r.stderr().split("cannot start", -1).length - 1, r.stderr());
  }

  @Test
  void oneShotCommandsLeaveTheSecretIdFileForRun(OpenBao bao, @TempDir Path work) throws Exception {
    bao.put("app/db", Map.of("username", "app", "password", "x"));
    bao.writePolicy("app", "path \"secret/*\" { capabilities = [\"read\"] }\n");
    OpenBao.AppRole role = bao.appRole("app", Map.of("token_policies", "app"));
    Files.writeString(work.resolve("role-id"), role.roleId());
    Files.writeString(work.resolve("secret-id"), role.secretId());
    Path cfg = work.resolve("sidecar.yaml");
    Files.writeString(
        cfg,
        """
        openbao:
          address: %s
        auth:
          method: approle
          role-id-file: role-id
          secret-id-file: secret-id
        secrets:
          DB_PASSWORD: secret/app/db#password
        """
            .formatted(bao.address()));
    SidecarProcess.Result check =
        SidecarProcess.runToEnd(work, Map.of(), "check", "--online", "-c", cfg.toString());
    assertEquals(0, check.exit(), check.stdout() + check.stderr());
    SidecarProcess.Result env =
        SidecarProcess.runToEnd(work, Map.of(), "env", "-c", cfg.toString());
    assertEquals(0, env.exit(), env.stderr());
    assertTrue(Files.exists(work.resolve("secret-id")), "check and env leave the secret-id file");
    SidecarProcess.Result exec =
        SidecarProcess.runToEnd(work, Map.of(), "exec", "-c", cfg.toString(), "--", "true");
    assertEquals(0, exec.exit(), exec.stderr());
    assertFalse(Files.exists(work.resolve("secret-id")), "exec, like run, removes it after login");
  }

  /**
   * Issue 8, defect 11: the config check found {@code $HOME/.vault-token}, the login looked in the
   * passwd home ({@code user.home}) instead. The process runs with HOME set to its work dir, which
   * is not root's passwd home.
   */
  @Test
  void vaultTokenIsReadFromHomeAsTheCheckFindsIt(OpenBao bao, @TempDir Path work) throws Exception {
    assertFalse(work.equals(Path.of(System.getProperty("user.home"))));
    bao.put("app/db", Map.of("username", "app", "password", "from-home"));
    String token = bao.createToken(Map.of("policies", List.of("root")));
    Files.writeString(work.resolve(".vault-token"), token + "\n");
    Path cfg = config(work, bao, "  DB_PASSWORD: secret/app/db#password", "");
    SidecarProcess.Result r =
        SidecarProcess.runToEnd(work, Map.of("HOME", work.toString()), "env", "-c", cfg.toString());
    assertEquals(0, r.exit(), r.stderr());
    assertTrue(r.stdout().contains("from-home"), r.stdout());
    assertFalse(r.stdout().contains(token) || r.stderr().contains(token), "token never printed");
  }

  @Test
  void checkOnlineNamesEachPathTheTokenCannotRead(OpenBao bao, @TempDir Path work)
      throws Exception {
    bao.put("app/db", Map.of("username", "app", "password", "x"));
    bao.writePolicy(
        "app",
        "path \"secret/data/app/db\" { capabilities = [\"read\"] }\n"
            + "path \"secret/metadata/app/db\" { capabilities = [\"read\"] }\n");
    String token = bao.createToken(Map.of("policies", List.of("app")));
    Path cfg = config(work, bao, SECRETS + "\n  ADMIN_KEY: secret/app/admin#key", "");
    SidecarProcess.Result r =
        SidecarProcess.runToEnd(
            work, Map.of("BAO_TOKEN", token), "check", "--online", "-c", cfg.toString());
    assertEquals(1, r.exit(), r.stdout() + r.stderr());
    assertTrue(r.stdout().contains("DENIED  secret/app/admin"), r.stdout());
    assertTrue(r.stdout().contains("ok      secret/app/db"), r.stdout());
    assertTrue(r.stdout().contains("version 2.7.2, sealed false"), r.stdout());
    assertFalse(r.stdout().contains(token) || r.stderr().contains(token), "token never printed");
  }

  @Test
  void checkOnlineReadsEachSecretOfAnotherStoreAndNamesTheOnesItCannot(
      OpenBao bao, @TempDir Path work) throws Exception {
    bao.put("app/db", Map.of("username", "app", "password", "x"));
    String canary = "store-canary-Kq2w";
    Path local = Files.writeString(work.resolve("local.env"), "LOCAL=" + canary + "\n");
    Path gone = work.resolve("gone.env");
    Path cfg =
        config(
            work,
            bao,
            SECRETS + "\n  LOCAL: file:" + local + "#LOCAL\n  GONE: file:" + gone + "#GONE",
            "");
    SidecarProcess.Result r = asRoot(bao, work, cfg, "check", "--online");
    assertEquals(1, r.exit(), r.stdout() + r.stderr());
    assertTrue(r.stdout().contains("ok      secret/app/db"), r.stdout());
    assertTrue(r.stdout().contains("ok      file:" + local + "\n"), r.stdout());
    assertTrue(
        r.stdout()
            .contains("FAILED  file:" + gone + ": not found: file:" + gone + ": no such file"),
        r.stdout());
    assertTrue(r.stderr().contains("1 secret(s) of other stores cannot be read"), r.stderr());
    assertFalse(r.stdout().contains(canary) || r.stderr().contains(canary), "no value printed");

    Files.writeString(gone, "GONE=" + canary + "\n");
    SidecarProcess.Result ok = asRoot(bao, work, cfg, "check", "--online");
    assertEquals(0, ok.exit(), ok.stdout() + ok.stderr());
    assertTrue(ok.stdout().contains("every mapped path is readable"), ok.stdout());
    assertFalse(ok.stdout().contains(canary) || ok.stderr().contains(canary), "no value printed");
  }
}
