package io.baoinjector.sidecar.tools.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.sidecar.tools.Tools;
import io.baoinjector.testkit.Await;
import io.baoinjector.testkit.DatabaseEngine;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.PostgresServer;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.UnixHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code policy} and {@code approle-setup} against a real OpenBao: the generated policy is enough
 * for the sidecar to serve every name, grants nothing else, and every line of it is needed.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(600)
class PolicyIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CANARY = "canary-policy-'$x";

  static Map<String, String> admin(OpenBao bao) {
    return Map.of("BAO_ADDR", bao.address(), "BAO_TOKEN", bao.rootToken());
  }

  /** KV v2 (one pinned), KV v1, env-from, a property, and database credentials (leased). */
  static void seed(OpenBao bao) {
    bao.put("app/db", Map.of("username", "app", "password", CANARY));
    bao.put("app/api", Map.of("key", "k1"));
    bao.put("app/common", Map.of("REGION", "eu", "TIER", "gold"));
    bao.put("app/props", Map.of("url", "jdbc:x"));
    bao.put("app/other", Map.of("key", "not-in-config"));
    bao.enableKvV1("kv1");
    bao.kvV1Put("kv1", "app/legacy", Map.of("token", "legacy-1"));
  }

  static String config(OpenBao bao, Path socket, String auth) {
    return """
        openbao:
          address: %s
        %s
        revoke-on-exit: true
        secrets:
          DB_USER: secret/app/db#username
          DB_PASSWORD: secret/app/db#password
          API_KEY: secret/app/api#key@1
          LEGACY: kv1/app/legacy#token
          PG_USER: database/creds/app#username
          PG_PASSWORD: database/creds/app#password
        env-from:
          - secret/app/common
        properties:
          db.url: secret/app/props#url
        outputs:
          socket:
            path: %s
        """
        .formatted(bao.address(), auth, socket);
  }

  /** Database credentials: renewed after 4s, replaced at 7s, the replaced one revoked at ~13s. */
  static final long LEASE_TTL = 6;

  static final long LEASE_MAX_TTL = 14;

  static final String TOKEN_AUTH = "auth:\n  method: token";

  static final List<String> NAMES =
      List.of("DB_USER", "DB_PASSWORD", "API_KEY", "LEGACY", "PG_USER", "PG_PASSWORD", "REGION");

  static void assertServesEveryName(Path sock) throws Exception {
    for (String n : NAMES) {
      UnixHttp.Response r = UnixHttp.get(sock, "/v1/secrets/" + n);
      assertEquals(200, r.status(), n + ": " + r.body());
    }
    assertEquals(
        CANARY,
        JSON.readTree(UnixHttp.get(sock, "/v1/secrets/DB_PASSWORD").body()).path("value").asText());
    assertEquals(
        "jdbc:x",
        JSON.readTree(UnixHttp.get(sock, "/v1/secrets/db.url").body()).path("value").asText());
  }

  static final Pattern STANZA =
      Pattern.compile("# [^\\n]*\\npath \"([^\"]+)\" \\{\\n  capabilities = \\[([^]]*)]\\n}\\n");

  /** Every stanza: its path and its whole text. */
  static List<String[]> stanzas(String hcl) {
    List<String[]> out = new ArrayList<>();
    Matcher m = STANZA.matcher(hcl);
    while (m.find()) {
      out.add(new String[] {m.group(1), m.group(0)});
    }
    return out;
  }

  /** {@code approle-setup --role app -c CFG --out CREDS EXTRA…} with the root token. */
  static Tools setup(OpenBao bao, Path cfg, Path creds, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("--role", "app", "-c", cfg.toString(), "--out", creds.toString()));
    args.addAll(List.of(extra));
    return Tools.run(new ApproleSetupCommand(admin(bao)), args.toArray(String[]::new));
  }

  @Test
  void thePolicyIsEnoughForRunAndEveryLineOfItIsNeeded(OpenBao bao, @TempDir Path work)
      throws Exception {
    seed(bao);
    try (PostgresServer pg = PostgresServer.start();
        TmpfsDir t = new TmpfsDir()) {
      // short leases, so the run below renews one, replaces it and revokes the replaced one
      DatabaseEngine.mount(bao, pg, "pg-super", LEASE_TTL, LEASE_MAX_TTL, List.of());
      Path sock = t.resolve("agent.sock");
      Path cfg = work.resolve("sidecar.yaml");
      Files.writeString(cfg, config(bao, sock, TOKEN_AUTH));

      Tools p = Tools.run(new PolicyCommand(admin(bao)), "-c", cfg.toString());
      assertEquals(0, p.exit(), p.toString());
      String hcl = p.out();
      List<String> paths = stanzas(hcl).stream().map(s -> s[0]).toList();
      assertEquals(
          List.of(
              "secret/data/app/db",
              "secret/metadata/app/db",
              "secret/data/app/api",
              "kv1/app/legacy",
              "database/creds/app",
              "secret/data/app/common",
              "secret/metadata/app/common",
              "secret/data/app/props",
              "secret/metadata/app/props",
              "sys/leases/renew",
              "sys/leases/revoke",
              "auth/token/lookup-self",
              "auth/token/renew-self",
              "auth/token/revoke-self"),
          paths,
          hcl);
      assertFalse(hcl.contains("*"), "no wildcard:\n" + hcl);
      assertTrue(hcl.contains("# DB_USER, DB_PASSWORD: the value (KV v2 secret/)\n"), hcl);
      assertTrue(hcl.contains("# env-from[0]: the value"), hcl);
      assertTrue(hcl.contains("# property db.url: the value"), hcl);
      assertTrue(hcl.contains("# PG_USER, PG_PASSWORD: renewing their leases"), hcl);
      assertFalse(hcl.contains(CANARY) || p.err().contains(CANARY), p.toString());

      // the CLI accepts it, and a token with only it (no default policy) runs the sidecar
      Path hclFile = work.resolve("app.hcl");
      Files.writeString(hclFile, hcl);
      bao.cli("policy", "write", "app", hclFile.toString());
      String token = bao.createToken(Map.of("policies", List.of("app"), "no_default_policy", true));
      // a path not in the config is denied
      JsonNode caps =
          bao.api(
              "POST",
              "sys/capabilities",
              Map.of("token", token, "paths", List.of("secret/data/app/other")));
      assertEquals("[\"deny\"]", caps.path("secret/data/app/other").toString(), caps.toString());
      assertEquals(
          403, bao.raw(token, "GET", "secret/data/app/other", null).statusCode(), "read denied");

      try (SidecarProcess s =
          SidecarProcess.start(work, Map.of("BAO_TOKEN", token), "run", "-c", cfg.toString())) {
        s.awaitReady(sock);
        assertServesEveryName(sock);
        Await.until(
            Duration.ofSeconds(60),
            s::stderr,
            () ->
                s.stderr().contains("database/creds/app: lease renewed")
                    && s.stderr().contains("database/creds/app: revoked the replaced lease"));
        assertEquals(0, s.terminate(), s.stderr());
        assertTrue(s.stderr().contains("revoked token"), "revoke-on-exit:\n" + s.stderr());
        // no denial: OpenBaoException says "status 403" (a bare "403" also turns up inside port
        // numbers and log timestamps' milliseconds), OpenBao itself "permission denied"
        assertFalse(
            s.stderr().contains("status 403") || s.stderr().contains("permission denied"),
            s.stderr());
      }
      // Remove each stanza in turn. The token has the reduced policy and, instead of the default
      // policy, only what check --online itself asks (sys/capabilities-self).
      bao.writePolicy(
          "check-online", "path \"sys/capabilities-self\" { capabilities = [\"update\"] }\n");
      for (String[] s : stanzas(hcl)) {
        String path = s[0];
        bao.writePolicy("reduced", hcl.replace(s[1], ""));
        // a short TTL, so run renews the token (renew-self) within the test
        String reduced =
            bao.createToken(
                Map.of(
                    "policies",
                    List.of("reduced", "check-online"),
                    "no_default_policy",
                    true,
                    "ttl",
                    "20s"));
        Map<String, String> env = Map.of("BAO_TOKEN", reduced);
        SidecarProcess.Result c =
            SidecarProcess.runToEnd(work, env, "check", "--online", "-c", cfg.toString());
        if (path.contains("/data/") || path.startsWith("kv1/") || path.startsWith("database/")) {
          assertEquals(1, c.exit(), path + "\n" + c.stderr());
          assertTrue(
              c.stdout().contains("the token may not read " + path + " "),
              path + " named:\n" + c.stdout());
        } else if (path.contains("/metadata/")) {
          assertEquals(0, c.exit(), path + "\n" + c.stderr());
          String secret = path.replace("secret/metadata/", "secret/");
          assertTrue(
              c.stdout().contains("ok      " + secret + " (no read on its metadata"),
              path + " named:\n" + c.stdout());
        } else if (path.equals("auth/token/lookup-self")) {
          assertEquals(1, c.exit(), path + "\n" + c.stderr());
          assertTrue(c.stderr().contains("login failed") && c.stderr().contains(path), c.stderr());
        } else {
          // check --online logs in and asks about the mapped paths only: it cannot see these
          assertEquals(0, c.exit(), path + "\n" + c.stderr());
          assertTrue(c.stdout().contains("every mapped path is readable"), c.stdout());
          // run names the path when it first needs it
          String expected =
              switch (path) {
                case "sys/leases/renew" ->
                    "lease renewal refused (PUT sys/leases/renew: status 403";
                case "sys/leases/revoke" ->
                    "could not revoke the replaced lease (PUT sys/leases/revoke: status 403";
                case "auth/token/renew-self" -> "(renew-self answered 403)";
                case "auth/token/revoke-self" -> "POST auth/token/revoke-self: status 403";
                default -> throw new AssertionError("a stanza no test removes: " + path);
              };
          try (SidecarProcess r = SidecarProcess.start(work, env, "run", "-c", cfg.toString())) {
            r.awaitReady(sock);
            if (path.equals("auth/token/revoke-self")) {
              r.terminate();
            }
            Await.until(Duration.ofSeconds(60), r::stderr, () -> r.stderr().contains(expected));
          }
        }
      }
    }
  }

  @Test
  void approleSetupsOutputAloneLetsRunStartAndServe(OpenBao bao, @TempDir Path work)
      throws Exception {
    seed(bao);
    try (PostgresServer pg = PostgresServer.start();
        TmpfsDir t = new TmpfsDir()) {
      DatabaseEngine.mount(bao, pg, "pg-super", 300, 600, List.of());
      Path sock = t.resolve("agent.sock");
      Path creds = work.resolve("creds");
      Path cfg = work.resolve("sidecar.yaml");
      // the config as written before AppRole exists: approle-setup prints the auth block to paste
      Files.writeString(cfg, config(bao, sock, TOKEN_AUTH));
      Tools dry = setup(bao, cfg, creds, "--dry-run");
      assertEquals(0, dry.exit(), dry.toString());
      assertTrue(dry.out().contains("would enable AppRole at auth/approle"), dry.out());
      assertTrue(dry.out().contains("path \"secret/data/app/db\""), dry.out());
      assertFalse(Files.exists(creds), "dry run writes nothing");
      assertFalse(bao.api("GET", "sys/auth", null).path("data").has("approle/"), "nor enables");

      Tools r =
          setup(
              bao,
              cfg,
              creds,
              "--token-ttl",
              "10m",
              "--secret-id-uses",
              "1",
              "--no-default-policy");
      assertEquals(0, r.exit(), r.toString());
      String block = r.out().substring(r.out().indexOf("auth:\n"));
      assertEquals(
          "auth:\n  method: approle\n  role-id-file: %s\n  secret-id-file: %s\n  secret-id-wrapped: true\n"
              .formatted(creds.resolve("role-id"), creds.resolve("secret-id")),
          block);
      assertFalse(r.out().contains(bao.rootToken()), r.out());
      for (String f : List.of("role-id", "secret-id")) {
        assertEquals(
            "r--------",
            PosixFilePermissions.toString(Files.getPosixFilePermissions(creds.resolve(f))));
      }
      String wrapping = Files.readString(creds.resolve("secret-id"));
      JsonNode info =
          bao.api("POST", "sys/wrapping/lookup", Map.of("token", wrapping)).path("data");
      assertEquals("auth/approle/role/app/secret-id", info.path("creation_path").asText());
      JsonNode role = bao.api("GET", "auth/approle/role/app", null).path("data");
      assertEquals("[\"bao-injector-app\"]", role.path("token_policies").toString());
      assertEquals(600, role.path("token_ttl").asInt());

      // again: the files are there, so it refuses before changing anything
      Tools again = setup(bao, cfg, creds);
      assertEquals(2, again.exit(), again.toString());
      assertTrue(
          again
              .err()
              .contains(creds.resolve("role-id") + " already exists; remove it or pass --force"),
          again.err());

      // the sidecar has no admin token: only the two files and the printed auth block
      Files.writeString(cfg, config(bao, sock, block.strip()));
      try (SidecarProcess s = SidecarProcess.start(work, Map.of(), "run", "-c", cfg.toString())) {
        s.awaitReady(sock);
        assertServesEveryName(sock);
      }
    }
  }

  @Test
  void aTokenWithoutTheRightNamesTheCapabilityAndPath(OpenBao bao, @TempDir Path work)
      throws Exception {
    seed(bao);
    Path cfg = work.resolve("sidecar.yaml");
    Files.writeString(
        cfg,
        "openbao:\n  address: %s\nauth:\n  method: token\nsecrets:\n  DB_USER: secret/app/db#username\n"
            .formatted(bao.address()));
    bao.writePolicy(
        "reader",
        "path \"secret/data/app/db\" { capabilities = [\"read\"] }\npath \"sys/auth\" { capabilities = [\"read\"] }\n");
    String weak = bao.createToken(Map.of("policies", List.of("reader")));
    Tools r =
        Tools.run(
            new ApproleSetupCommand(Map.of("BAO_TOKEN", weak)),
            "--role",
            "app",
            "-c",
            cfg.toString(),
            "--out",
            work.resolve("out").toString());
    assertEquals(1, r.exit(), r.toString());
    assertEquals(
        "bao-injector: permission denied: the token needs \"sudo\" and \"create\" on"
            + " sys/auth/approle\n",
        r.err());
    assertFalse(Files.exists(work.resolve("out")), "nothing written");
  }
}
