package io.baoinjector.sidecar.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code bao-injector rotate} against a real OpenBao. */
@ExtendWith(OpenBaoExtension.class)
@Timeout(120)
class RotateIT {
  static final String CANARY = "canary-rotated-7f3a";

  @TempDir Path dir;

  static String password(OpenBao bao) {
    return bao.api("GET", "secret/data/app/db", null)
        .path("data")
        .path("data")
        .path("password")
        .asText();
  }

  RotateCommand command(OpenBao bao) {
    return new RotateCommand(Tools.env(bao.address(), bao.rootToken()));
  }

  @Test
  void theArchiveKeepsTheOldValueAfterMaxVersionsPrunedIt(OpenBao bao) {
    bao.put("app/db", Map.of("username", "app", "password", "first-canary"));
    bao.api("POST", "secret/metadata/app/db", Map.of("max_versions", 1));
    Tools r1 = Tools.run(command(bao), "secret/app/db#password", "--generate", "24");
    assertEquals(0, r1.exit(), r1.toString());
    Tools r2 =
        Tools.run(command(bao), "secret/app/db#password", "--generate", "8", "--charset", "a-f0-9");
    assertEquals(0, r2.exit(), r2.toString());
    assertTrue(
        r2.out().startsWith("rotated secret/app/db#password: version 3 (version 2"), r2.out());

    JsonNode live = bao.api("GET", "secret/data/app/db", null).path("data");
    assertEquals(3, live.path("metadata").path("version").asInt());
    assertEquals("app", live.path("data").path("username").asText());
    assertTrue(live.path("data").path("password").asText().matches("[a-f0-9]{8}"));
    // max_versions=1: version 1 is gone from the live secret
    assertEquals(
        404, bao.raw(bao.rootToken(), "GET", "secret/data/app/db?version=1", null).statusCode());

    List<String> stamps = new ArrayList<>();
    bao.api("LIST", "secret/metadata/archive/app/db", null)
        .path("data")
        .path("keys")
        .forEach(k -> stamps.add(k.asText()));
    assertEquals(2, stamps.size(), stamps.toString());
    stamps.sort(null);
    assertTrue(
        stamps.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{3}Z"),
        stamps.get(0));
    JsonNode first =
        bao.api("GET", "secret/data/archive/app/db/" + stamps.get(0), null).path("data");
    assertEquals("first-canary", first.path("data").path("password").asText());
    assertEquals("app", first.path("data").path("username").asText());
    JsonNode meta =
        bao.api("GET", "secret/metadata/archive/app/db/" + stamps.get(0), null)
            .path("data")
            .path("custom_metadata");
    assertEquals("1", meta.path("previous-version").asText());
    assertEquals(
        bao.api("GET", "auth/token/lookup-self", null).path("data").path("display_name").asText(),
        meta.path("rotated-by").asText());
    assertFalse(meta.path("rotated-at").asText().isEmpty());
    assertEquals("secret/app/db#password", meta.path("source").asText());
  }

  @Test
  void theValueIsNeverPrinted(OpenBao bao) throws Exception {
    bao.put("app/db", Map.of("password", "old"));
    Path value = Files.writeString(dir.resolve("pw"), CANARY + "\n");
    SidecarProcess.Result r =
        SidecarProcess.runToEnd(
            dir,
            Map.of("BAO_ADDR", bao.address(), "BAO_TOKEN", bao.rootToken()),
            "rotate",
            "secret/app/db#password",
            "--value-file",
            value.toString(),
            "--archive-to",
            "secret/cold");
    assertEquals(0, r.exit(), r.stderr());
    assertTrue(r.stdout().startsWith("rotated secret/app/db#password: version 2"), r.stdout());
    assertTrue(r.stdout().contains("archived at secret/cold/app/db/"), r.stdout());
    assertFalse(r.stdout().contains(CANARY) || r.stderr().contains(CANARY), r.toString());
    assertEquals(CANARY, password(bao));
  }

  @Test
  void aWriteBetweenReadAndWriteIsDetected(OpenBao bao) {
    bao.put("app/db", Map.of("password", "old", "user", "u"));
    RotateCommand c = command(bao);
    c.hook = p -> bao.put("app/db", Map.of("password", "concurrent", "user", "u"));
    Tools r = Tools.run(c, "secret/app/db#password", "--generate", "16");
    assertEquals(1, r.exit(), r.toString());
    assertTrue(
        r.err().contains("secret/app/db changed after version 1 was read; nothing rotated"),
        r.err());
    assertEquals("concurrent", password(bao));
  }

  @Test
  void dryRunWritesNothing(OpenBao bao) {
    bao.put("app/db", Map.of("password", "old"));
    Tools r = Tools.run(command(bao), "secret/app/db#password", "--generate", "16", "--dry-run");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(
        r.out().startsWith("would archive version 1 of secret/app/db at secret/archive/app/db/"),
        r.out());
    assertTrue(
        r.out().endsWith(" and write password as version 2; dry run: nothing written\n"), r.out());
    assertEquals(
        1,
        bao.api("GET", "secret/data/app/db", null)
            .path("data")
            .path("metadata")
            .path("version")
            .asInt());
    assertEquals(
        404, bao.raw(bao.rootToken(), "LIST", "secret/metadata/archive/app/db", null).statusCode());
  }

  @Test
  void kvV1IsRefused(OpenBao bao) {
    bao.enableKvV1("kv1");
    bao.kvV1Put("kv1", "app/db", Map.of("password", "x"));
    Tools r = Tools.run(command(bao), "kv1/app/db#password", "--generate", "16");
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("kv1/ is a KV v1 mount, which has no versions"), r.err());
  }

  @Test
  void usageMistakesExitTwo(OpenBao bao) throws Exception {
    bao.put("app/db", Map.of("password", "x"));
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    Tools r = Tools.run(command(bao), "secret/app/db#password", "--value-file", empty.toString());
    assertEquals(2, r.exit(), r.toString());
    assertTrue(r.err().contains("the file is empty"), r.err());
    r = Tools.run(command(bao), "secret/app/db#nokey", "--generate", "8");
    assertEquals(2, r.exit(), r.toString());
    assertEquals(
        "bao-injector: secret/app/db has no key nokey (its keys: password); rotate changes an"
            + " existing key\n",
        r.err());
    r = Tools.run(command(bao), "secret/app/db", "--generate", "8");
    assertEquals(2, r.exit(), r.toString());
    r = Tools.run(command(bao), "secret/app/db#password");
    assertEquals(2, r.exit(), r.toString());
  }

  @Test
  void aPermissionErrorNamesTheCapabilityAndPath(OpenBao bao) throws Exception {
    bao.put("app/db", Map.of("password", "x"));
    Path hcl =
        Files.writeString(
            dir.resolve("p.hcl"),
            """
            path "secret/data/app/db" { capabilities = ["read"] }
            path "secret/data/archive/*" { capabilities = ["create"] }
            path "secret/metadata/archive/*" { capabilities = ["create", "update"] }
            """);
    String token = Tools.tokenWithPolicy(bao, "rotate-partial", hcl);
    Tools r =
        Tools.run(
            new RotateCommand(Tools.env(bao.address(), token)),
            "secret/app/db#password",
            "--generate",
            "16");
    assertEquals(1, r.exit(), r.toString());
    assertEquals(
        "bao-injector: permission denied: the token needs \"update\" on secret/data/app/db (grant"
            + " it in the token's policy)\n",
        r.err());
  }

  @Test
  void aSidecarWithoutRefreshIsOneLineAndExitZero(OpenBao bao) throws Exception {
    bao.put("app/db", Map.of("password", "x"));
    Path sock = dir.resolve("s.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(sock));
      CompletableFuture<String> request =
          CompletableFuture.supplyAsync(
              () -> {
                try (SocketChannel ch = server.accept()) {
                  InputStream in = Channels.newInputStream(ch);
                  StringBuilder head = new StringBuilder();
                  while (!head.toString().endsWith("\r\n\r\n")) {
                    head.append((char) in.read());
                  }
                  Channels.newOutputStream(ch)
                      .write(
                          "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                              .getBytes(StandardCharsets.US_ASCII));
                  return head.toString();
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      Tools r =
          Tools.run(
              command(bao),
              "secret/app/db#password",
              "--generate",
              "16",
              "--socket",
              sock.toString());
      assertEquals(0, r.exit(), r.toString());
      assertTrue(request.get().startsWith("POST /v1/refresh HTTP/1.1\r\n"), request.get());
      assertEquals(
          "bao-injector: the sidecar at "
              + sock
              + " does not support refresh yet; it picks the new value up at its next refresh\n",
          r.err());
    }
  }
}
