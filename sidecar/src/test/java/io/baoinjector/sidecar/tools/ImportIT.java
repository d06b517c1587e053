package io.baoinjector.sidecar.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.config.ConfigLoader;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code bao-injector import} against a real OpenBao. */
@ExtendWith(OpenBaoExtension.class)
@Timeout(120)
class ImportIT {
  static final String TRICKY =
      """
      # exported by hand
      export DB_USER=app
      DB_PASSWORD='canary-p@ss w0rd $HOME `x` "q" \\n'
      DB_URL='postgres://db:5432/app?sslmode=require&x=1'
      API_KEY="a \\"quoted\\" \\$dollar \\\\ back" # trailing comment
      EQUALS=a=b=c
      HASH=a#b
      UNICODE='日本語 ✓ ünï'
      MULTI='line one
      line two'
      EMPTY=
      """;

  @TempDir Path dir;

  Map<String, String> data(OpenBao bao, String path) {
    Map<String, String> m = new LinkedHashMap<>();
    bao.api("GET", "secret/data/" + path, null)
        .path("data")
        .path("data")
        .fields()
        .forEachRemaining(f -> m.put(f.getKey(), f.getValue().asText()));
    return m;
  }

  int version(OpenBao bao, String path) {
    return bao.api("GET", "secret/data/" + path, null)
        .path("data")
        .path("metadata")
        .path("version")
        .asInt();
  }

  ImportCommand command(OpenBao bao) {
    return new ImportCommand(Tools.env(bao.address(), bao.rootToken()));
  }

  /** {@code import --from FILE --to PATH MORE…}, run in-process. */
  static Tools importFile(ImportCommand c, Path from, String to, String... more) {
    List<String> args = new ArrayList<>(List.of("--from", from.toString(), "--to", to));
    args.addAll(List.of(more));
    return Tools.run(c, args.toArray(String[]::new));
  }

  @Test
  void aTrickyDotenvRoundTripsExactlyAsBashReadsIt(OpenBao bao) throws Exception {
    Path f = Files.writeString(dir.resolve("app.env"), TRICKY);
    Tools r = importFile(command(bao), f, "secret/app/prod");
    assertEquals(0, r.exit(), r.toString());
    Map<String, String> stored = data(bao, "app/prod");
    assertEquals(Tools.bash(f, stored.keySet()), stored);
    assertEquals(9, stored.size());
    assertTrue(
        r.out().startsWith("created secret/app/prod (version 1): 9 key(s): DB_USER,"), r.out());
    assertFalse(r.out().contains("canary") || r.err().contains("canary"), r.toString());
  }

  @Test
  void withSidecarYamlAsAProcessItNeverPrintsAValue(OpenBao bao) throws Exception {
    Path token = Files.writeString(dir.resolve("token"), bao.rootToken());
    Path cfg =
        Files.writeString(
            dir.resolve("sidecar.yaml"),
            "openbao:\n  address: %s\nauth:\n  method: token\n  token-file: %s\nsecrets:\n  X: secret/x#x\n"
                .formatted(bao.address(), token));
    Path f = Files.writeString(dir.resolve("app.env"), TRICKY);
    SidecarProcess.Result r =
        SidecarProcess.runToEnd(
            dir,
            Map.of(),
            "import",
            "-c",
            cfg.toString(),
            "--from",
            f.toString(),
            "--to",
            "secret/app/proc",
            "--emit-config");
    assertEquals(0, r.exit(), r.stderr());
    assertTrue(r.stdout().startsWith("secrets:\n  DB_USER: secret/app/proc#DB_USER\n"), r.stdout());
    assertTrue(r.stderr().contains("created secret/app/proc (version 1): 9 key(s)"), r.stderr());
    assertFalse(r.stdout().contains("canary") || r.stderr().contains("canary"), r.toString());
    assertEquals(Tools.bash(f, data(bao, "app/proc").keySet()), data(bao, "app/proc"));
  }

  @Test
  void onAnExistingSecretItRefusesWithoutMergeOrReplace(OpenBao bao) throws Exception {
    bao.put("app/prod", Map.of("OLD", "kept", "DB_USER", "old"));
    Path f = Files.writeString(dir.resolve("app.env"), "DB_USER=app\nNEW=1\n");
    Tools r = importFile(command(bao), f, "secret/app/prod");
    assertEquals(2, r.exit(), r.toString());
    assertEquals(
        "bao-injector: secret/app/prod already exists (version 1); pass --merge to add these keys"
            + " to it or --replace to overwrite it\n",
        r.err());
    assertEquals(1, version(bao, "app/prod"));

    r = importFile(command(bao), f, "secret/app/prod", "--merge");
    assertEquals(0, r.exit(), r.toString());
    assertEquals(Map.of("OLD", "kept", "DB_USER", "app", "NEW", "1"), data(bao, "app/prod"));
    assertEquals(
        "merged into secret/app/prod (version 2): 1 added (NEW), 1 changed (DB_USER), 1 kept\n",
        r.out());

    r = importFile(command(bao), f, "secret/app/prod", "--replace");
    assertEquals(0, r.exit(), r.toString());
    assertEquals(Map.of("DB_USER", "app", "NEW", "1"), data(bao, "app/prod"));
    assertEquals(
        "replaced secret/app/prod (version 3): 2 key(s): DB_USER, NEW; 1 removed: OLD\n", r.out());
  }

  @Test
  void aWriteBetweenReadAndWriteIsDetectedNotOverwritten(OpenBao bao) throws Exception {
    bao.put("app/prod", Map.of("A", "1"));
    Path f = Files.writeString(dir.resolve("app.env"), "B=2\n");
    ImportCommand c = command(bao);
    c.hook = p -> bao.put("app/prod", Map.of("A", "concurrent"));
    Tools r = importFile(c, f, "secret/app/prod", "--merge");
    assertEquals(1, r.exit(), r.toString());
    assertEquals(
        "bao-injector: secret/app/prod changed between reading version 1 and writing; nothing"
            + " written there; run the import again\n",
        r.err());
    assertEquals(Map.of("A", "concurrent"), data(bao, "app/prod"));
    assertEquals(2, version(bao, "app/prod"));

    // a new secret is written with cas=0, so a concurrent creator wins too
    ImportCommand fresh = command(bao);
    fresh.hook = p -> bao.put("app/new", Map.of("X", "theirs"));
    r = importFile(fresh, f, "secret/app/new");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("secret/app/new already exists (created meanwhile"), r.err());
    assertEquals(Map.of("X", "theirs"), data(bao, "app/new"));
  }

  @Test
  void splitWritesOneSecretPerPrefixAndTheEmittedConfigLoads(OpenBao bao) throws Exception {
    Path f =
        Files.writeString(
            dir.resolve("app.env"),
            "DB_USER=app\nDB_PASSWORD=pw\nREDIS_URL=redis://r\nPORT=80\nON=1\n");
    Tools r =
        importFile(command(bao), f, "secret/app/prod", "--split", "DB_", "REDIS_", "--emit-config");
    assertEquals(0, r.exit(), r.toString());
    assertEquals(Map.of("DB_USER", "app", "DB_PASSWORD", "pw"), data(bao, "app/prod/db"));
    assertEquals(Map.of("REDIS_URL", "redis://r"), data(bao, "app/prod/redis"));
    assertEquals(Map.of("PORT", "80", "ON", "1"), data(bao, "app/prod"));
    assertTrue(r.err().contains("created secret/app/prod/db (version 1): 2 key(s)"), r.err());

    SidecarConfig cfg =
        ConfigLoader.load(
            "openbao:\n  address: " + bao.address() + "\n" + r.out(),
            dir.resolve("sidecar.yaml"),
            Map.of("BAO_TOKEN", "t"));
    assertEquals(5, cfg.secrets().size());
    assertEquals("secret/app/prod/db", cfg.secrets().get("DB_PASSWORD").path());
    assertEquals("DB_PASSWORD", cfg.secrets().get("DB_PASSWORD").key());
    assertEquals("secret/app/prod", cfg.secrets().get("ON").path());
  }

  @Test
  void fromEnvImportsTheMatchingVariables(OpenBao bao) {
    Map<String, String> env = Tools.env(bao.address(), bao.rootToken());
    env.put("APP_ONE", "1");
    env.put("APP_TWO", "two $x");
    env.put("OTHER", "no");
    Tools r = Tools.run(new ImportCommand(env), "--from-env", "APP_*", "--to", "secret/app/env");
    assertEquals(0, r.exit(), r.toString());
    assertEquals(Map.of("APP_ONE", "1", "APP_TWO", "two $x"), data(bao, "app/env"));
  }

  @Test
  void fromEnvNeverStoresTheLoginsOwnVariables(OpenBao bao) {
    Map<String, String> env = Tools.env(bao.address(), bao.rootToken());
    env.put("APP_ONE", "1");
    env.put("VAULT_TOKEN", "canary-token");
    Tools r = Tools.run(new ImportCommand(env), "--from-env", "*", "--to", "secret/app/all");
    assertEquals(0, r.exit(), r.toString());
    assertEquals(Map.of("APP_ONE", "1"), data(bao, "app/all"));
    assertTrue(
        r.err().contains("not imported: BAO_ADDR, BAO_TOKEN, VAULT_TOKEN (the connection's own"),
        r.err());
    r =
        Tools.run(
            new ImportCommand(Map.of("BAO_TOKEN", "canary-token")),
            "--from-env",
            "BAO_*",
            "--to",
            "secret/app/none");
    assertEquals(2, r.exit(), r.toString());
    assertEquals(
        "bao-injector: --from-env BAO_*: only BAO_TOKEN match, the connection's own variables,"
            + " which import never stores\n",
        r.err());
  }

  @Test
  void dryRunWritesNothing(OpenBao bao) throws Exception {
    Path f = Files.writeString(dir.resolve("app.env"), "A=1\n");
    Tools r = importFile(command(bao), f, "secret/app/dry", "--dry-run");
    assertEquals(0, r.exit(), r.toString());
    assertEquals("would create secret/app/dry: 1 key(s): A\ndry run: nothing written\n", r.out());
    assertEquals(404, bao.raw(bao.rootToken(), "GET", "secret/data/app/dry", null).statusCode());
  }

  @Test
  void anExpansionIsRefusedNamingTheLine(OpenBao bao) throws Exception {
    Path f = Files.writeString(dir.resolve("app.env"), "A=1\nB=\"$HOME/x\"\n");
    Tools r = importFile(command(bao), f, "secret/app/x");
    assertEquals(2, r.exit(), r.toString());
    assertEquals(
        "bao-injector: "
            + f
            + ":2: $H... would be expanded; put the value in single quotes, or write \\$ for a"
            + " literal dollar sign\n",
        r.err());
  }

  @Test
  void kvV1IsRefused(OpenBao bao) throws Exception {
    bao.enableKvV1("kv1");
    Path f = Files.writeString(dir.resolve("app.env"), "A=1\n");
    Tools r = importFile(command(bao), f, "kv1/app");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(
        r.err()
            .startsWith(
                "bao-injector: kv1/app: kv1/ is a KV v1 mount, which has no versions and no"
                    + " check-and-set; import needs KV v2"),
        r.err());
  }

  @Test
  void aPermissionErrorNamesTheCapabilityAndPath(OpenBao bao) throws Exception {
    Path hcl =
        Files.writeString(
            dir.resolve("ro.hcl"), "path \"secret/data/app/*\" { capabilities = [\"read\"] }\n");
    String token = Tools.tokenWithPolicy(bao, "app-ro", hcl);
    Path f = Files.writeString(dir.resolve("app.env"), "A=1\n");
    Tools r = importFile(new ImportCommand(Tools.env(bao.address(), token)), f, "secret/app/prod");
    assertEquals(1, r.exit(), r.toString());
    assertEquals(
        "bao-injector: permission denied: the token needs \"create\" on secret/data/app/prod"
            + " (\"update\" if it exists already; grant it in the token's policy)\n",
        r.err());
  }

  @Test
  void aNewSecretNeedsOnlyCreate(OpenBao bao) throws Exception {
    Path hcl =
        Files.writeString(
            dir.resolve("c.hcl"), "path \"secret/data/app/*\" { capabilities = [\"create\"] }\n");
    String token = Tools.tokenWithPolicy(bao, "app-create", hcl);
    Path f = Files.writeString(dir.resolve("app.env"), "A=1\n");
    Map<String, String> env = Tools.env(bao.address(), token);
    Tools r = importFile(new ImportCommand(env), f, "secret/app/c");
    assertEquals(0, r.exit(), r.toString());
    assertEquals(Map.of("A", "1"), data(bao, "app/c"));
    // a second import cannot read it; OpenBao wants "update" to write onto it, and gets no write
    r = importFile(new ImportCommand(env), f, "secret/app/c");
    assertEquals(1, r.exit(), r.toString());
    assertEquals(
        "bao-injector: permission denied: the token needs \"create\" on secret/data/app/c"
            + " (\"update\" if it exists already; grant it in the token's policy)\n",
        r.err());
    assertEquals(1, version(bao, "app/c"));
  }
}
