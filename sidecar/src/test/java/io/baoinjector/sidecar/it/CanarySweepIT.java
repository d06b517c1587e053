package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.UnixHttp;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canary sweep: every error path a user can provoke, run by the real sidecar at the most
 * verbose level it offers ({@code BAO_INJECTOR_LOG_LEVEL=trace}), with canary values for the
 * secrets, the AppRole credentials and a token. Not one canary may reach any process's log, the
 * metrics or an error body.
 *
 * <p>The sweep also checks that the paths really ran (each leaves its WARN or audit line), so a
 * sidecar that logged nothing at all could not pass.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(240)
class CanarySweepIT {
  private static final String PW1 = "CANARY-pw-one-5b7e";
  private static final String PW2 = "CANARY-pw-two-c41d";
  private static final String DENIED = "CANARY-denied-8a02";
  private static final String WRONG_SECRET_ID = "CANARY-wrong-secret-id-77f1";
  private static final Map<String, String> TRACE = Map.of("BAO_INJECTOR_LOG_LEVEL", "trace");

  private final List<String> canaries = new ArrayList<>(List.of(PW1, PW2, DENIED));
  private final StringBuilder everything = new StringBuilder();

  @Test
  void noCanaryReachesAnyLogAtTraceLevel(OpenBao bao, @TempDir Path work) throws Exception {
    bao.put("app/db", Map.of("username", "app", "password", PW1));
    bao.put("app/denied", Map.of("password", DENIED));
    bao.writePolicy(
        "app",
        """
        path "secret/data/app/db" { capabilities = ["read"] }
        path "secret/metadata/app/db" { capabilities = ["read"] }
        """);
    OpenBao.AppRole role =
        bao.appRole(
            "app", Map.of("token_policies", "app", "token_ttl", "6s", "token_max_ttl", "1h"));
    String token = bao.createToken(Map.of("policies", List.of("app"), "ttl", "1h"));
    canaries.addAll(List.of(role.roleId(), role.secretId(), token, bao.rootToken()));

    Path roleId = Files.writeString(work.resolve("role-id"), role.roleId());
    Path secretId = Files.writeString(work.resolve("secret-id"), role.secretId());
    Path wrongSecretId = Files.writeString(work.resolve("wrong-secret-id"), WRONG_SECRET_ID);

    try (TmpfsDir t = new TmpfsDir()) {
      Files.setPosixFilePermissions(t.path(), PosixFilePermissions.fromString("rwxr-xr-x"));
      Path sock = t.resolve("agent.sock");
      Path cfg = work.resolve("sidecar.yaml");
      Files.writeString(cfg, config(bao, sock, t.resolve("app.env"), roleId, secretId));

      oneShots(bao, work, cfg, roleId, wrongSecretId, token);

      try (SidecarProcess p = SidecarProcess.start(work, TRACE, "run", "-c", cfg.toString())) {
        // Not every name can resolve (one path is denied, one key is missing): "started" only.
        awaitHealth(p, sock, r -> r.body().contains("\"revision\":1"));
        socketPaths(sock);
        long before = revision(sock);
        bao.put("app/db", Map.of("username", "app", "password", PW2));
        awaitHealth(p, sock, r -> revisionOf(r) > before);

        // a token renewal, logged at debug: proves the level took effect
        awaitLog(p, 0, s -> s.contains("[DEBUG]") && s.contains("renewed token"));

        bao.stop(); // an outage: reads fail, values go stale
        awaitHealth(p, sock, r -> r.body().contains("\"stale\":true"));
        int mark = p.stderr().length();
        bao.restart(); // an empty dev server: the token and the role are gone
        awaitLog(p, mark, s -> s.contains("[WARN]") && s.contains("log"));
        String metrics = UnixHttp.get(sock, "/metrics").body();
        everything.append(metrics);
        assertTrue(metrics.contains("bao_injector_"), "metrics were scraped");
        assertEquals(0, p.terminate());
        everything.append(p.stdout()).append(p.stderr());

        String log = p.stderr();
        assertTrue(log.contains("secret/app/denied"), "the denied path was logged:\n" + log);
        assertTrue(log.contains("nokey"), "the missing key was logged:\n" + log);
        assertTrue(log.contains("denied peer="), "the denied peer was audited:\n" + log);
        assertTrue(log.contains("unreachable"), "the outage was logged:\n" + log);
      }
    }
    String all = everything.toString();
    for (String canary : canaries) {
      assertFalse(all.contains(canary), "a canary leaked (" + canary.length() + " chars)");
    }
  }

  /** Commands that fail or print only names, all at trace level. */
  private void oneShots(
      OpenBao bao, Path work, Path cfg, Path roleId, Path wrongSecretId, String token)
      throws Exception {
    // a wrong secret id (AppRole login refused)
    Path wrongCfg = work.resolve("wrong.yaml");
    Files.writeString(
        wrongCfg,
        Files.readString(cfg)
            .replace(work.resolve("secret-id").toString(), wrongSecretId.toString()));
    collect(SidecarProcess.runToEnd(work, TRACE, "check", "--online", "-c", wrongCfg.toString()));
    // a token that works, a token OpenBao does not know, the root token in BAO_TOKEN beside AppRole
    Path tokenCfg = work.resolve("token.yaml");
    Files.writeString(
        tokenCfg,
        TokenConfig.yaml(
            bao.address(),
            """
              DB_PASSWORD: secret/app/db#password
              DENIED: secret/app/denied#password
            """));
    SidecarProcess.Result ok = traced(work, token, "check", "--online", "-c", tokenCfg.toString());
    assertNotEquals(0, ok.exit(), "check --online names the denied path: " + ok.stderr());
    traced(work, "s.CANARY-unknown-token-3e9a", "check", "--online", "-c", tokenCfg.toString());
    canaries.add("s.CANARY-unknown-token-3e9a");
    // exec whose child fails: the child's environment holds the values, the log must not
    traced(work, token, "exec", "-c", tokenCfg.toString(), "--", "sh", "-c", "exit 3");
    traced(work, token, "exec", "-c", tokenCfg.toString(), "--", "/no/such/program");
  }

  /** A one-shot command at trace level with {@code token} in BAO_TOKEN, its output collected. */
  private SidecarProcess.Result traced(Path work, String token, String... args) {
    return collect(
        SidecarProcess.runToEnd(
            work, Map.of("BAO_INJECTOR_LOG_LEVEL", "trace", "BAO_TOKEN", token), args));
  }

  /** Every socket answer: reads, unknown names, bad requests, a denied second uid. */
  private void socketPaths(Path sock) throws Exception {
    for (String target :
        List.of(
            "/v1/env",
            "/v1/secrets/DB_PASSWORD",
            "/v1/secrets/NOPE",
            "/v1/env?after=x",
            "/v1/env?after=0&wait=zz",
            "/v1/health",
            "/nope")) {
      everything.append(UnixHttp.get(sock, target).status()).append('\n');
    }
    everything.append(
        raw(sock, "POST /v1/env HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"));
    everything.append(raw(sock, "GET /v1/env HTTP/1.1\r\nHost: \r\n\r\n"));
    everything.append(raw(sock, "GARBAGE\r\n\r\n"));
    ProcessBuilder pb =
        new ProcessBuilder(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "curl",
                "-sS",
                "--unix-socket",
                sock.toString(),
                "http://x/v1/secrets/DB_PASSWORD")
            .redirectErrorStream(true);
    Process c = pb.start();
    String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, c.waitFor(), "curl as uid 65534 ran: " + body);
    everything.append(body);
    assertTrue(body.contains("403") || body.isEmpty() || body.contains("not allowed"), body);
  }

  private static String raw(Path sock, String request) throws Exception {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(sock));
      OutputStream out = Channels.newOutputStream(ch);
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      ch.shutdownOutput();
      return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private SidecarProcess.Result collect(SidecarProcess.Result r) {
    everything.append(r.stdout()).append(r.stderr());
    return r;
  }

  private static void awaitHealth(SidecarProcess p, Path sock, Predicate<UnixHttp.Response> ok) {
    p.awaitHealth(sock, ok, Duration.ofSeconds(60));
  }

  /** Waits until the log after {@code from} (a length) matches. */
  private static void awaitLog(SidecarProcess p, int from, Predicate<String> ok)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!ok.test(p.stderr().substring(Math.min(from, p.stderr().length())))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("log never matched:\n" + p.stderr());
      }
      Thread.sleep(100); // polling a log file with a deadline, not standing in for an event
    }
  }

  private static long revision(Path sock) throws Exception {
    return revisionOf(UnixHttp.get(sock, "/v1/health"));
  }

  private static long revisionOf(UnixHttp.Response r) {
    try {
      JsonNode n = SidecarRunIT.JSON.readTree(r.body());
      return n.path("revision").asLong();
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private static String config(OpenBao bao, Path sock, Path env, Path roleId, Path secretId) {
    return """
        openbao:
          address: %s
        auth:
          method: approle
          role-id-file: %s
          secret-id-file: %s
          keep-secret-id-file: true
        secrets:
          DB_USER: secret/app/db#username
          DB_PASSWORD: secret/app/db#password
          MISSING: secret/app/db#nokey
          DENIED: secret/app/denied#password
        refresh:
          interval: 1s
        outputs:
          socket:
            path: %s
            mode: "0666"
            allow-uids: [0]
          files:
            - path: %s
              format: dotenv
        """
        .formatted(bao.address(), roleId, secretId, sock, env);
  }
}
