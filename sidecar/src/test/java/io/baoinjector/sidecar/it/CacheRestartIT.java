package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.testkit.Await;
import io.baoinjector.testkit.FaultProxy;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.UnixHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restart-proof cache end to end: the real sidecar serves values with {@code cache:}, is
 * SIGKILLed, OpenBao goes away (a proxy that resets every connection), and the restarted sidecar
 * serves the last values at once, ready and stale. When OpenBao answers again, the value rotated
 * meanwhile replaces them. Started with OpenBao reachable, the sidecar never shows the cached
 * values. The cache file is decrypted here, by its documented layout, to check it never holds the
 * token.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(300)
class CacheRestartIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aSidecarRestartedWhileOpenBaoIsDownServesTheCachedValuesStale(
      OpenBao bao, @TempDir Path work) throws Exception {
    bao.writePolicy("cache-it", "path \"secret/data/app/*\" { capabilities = [\"read\"] }");
    String token = bao.createToken(Map.of("policies", List.of("cache-it"), "ttl", "1h"));
    Files.writeString(work.resolve("token"), token);
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    Path keyFile = work.resolve("keys/cache-key");
    Files.createDirectories(keyFile.getParent());
    Files.write(keyFile, key);
    bao.put("app/db", Map.of("password", "canary-first-7c1e"));
    try (TmpfsDir run = new TmpfsDir();
        TmpfsDir cacheDir = new TmpfsDir();
        FaultProxy proxy = FaultProxy.to(bao.port())) {
      Path socket = run.resolve("agent.sock");
      Path cache = cacheDir.resolve("values");
      Path config = work.resolve("sidecar.yaml");
      Files.writeString(
          config,
          """
          openbao:
            address: %s
          auth:
            method: token
            token-file: %s
          secrets:
            DB_PASSWORD: secret/app/db#password
          refresh:
            interval: 1s
          outputs:
            socket:
              path: %s
          cache:
            path: %s
            key-file: %s
          """
              .formatted(proxy.address(), work.resolve("token"), socket, cache, keyFile));

      SidecarProcess first = SidecarProcess.start(work, Map.of(), "run", "-c", config.toString());
      StringBuilder logs = new StringBuilder();
      try {
        first.awaitReady(socket);
        assertEquals("canary-first-7c1e", value(socket));
        bao.put("app/db", Map.of("password", "canary-second-a93b"));
        Await.until(
            Duration.ofSeconds(30),
            () -> "the cache never held the rotated value\n" + first.stderr(),
            () -> Files.exists(cache) && decrypt(cache, key).contains("canary-second-a93b"));
        String plain = decrypt(cache, key);
        assertFalse(plain.contains(token), "the token is never in the cache");
        String raw = new String(Files.readAllBytes(cache), StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains("canary-"), "no value in the clear");
      } finally {
        first.kill();
        logs.append(first.stderr()).append(first.stdout());
      }

      proxy.mode(FaultProxy.Mode.RESET); // OpenBao is down for the sidecar from here
      bao.put("app/db", Map.of("password", "canary-third-55d0")); // rotated meanwhile
      try (SidecarProcess second =
          SidecarProcess.start(work, Map.of(), "run", "-c", config.toString())) {
        UnixHttp.Response health = second.awaitReady(socket);
        JsonNode h = JSON.readTree(health.body());
        assertEquals("ready", h.path("status").asText(), health.body());
        assertTrue(h.path("stale").asBoolean(), "served from the cache: stale " + health.body());
        assertTrue(
            h.path("unresolved").toString().contains("DB_PASSWORD"),
            "the name is listed until OpenBao confirms it: " + health.body());
        UnixHttp.Response env = UnixHttp.get(socket, "/v1/env");
        assertEquals(200, env.status(), "ready: every name has a value");
        assertEquals(
            "canary-second-a93b",
            JSON.readTree(env.body()).path("values").path("DB_PASSWORD").asText());
        assertTrue(
            second
                .stderr()
                .contains("cache: serving 1 names from " + cache.toRealPath() + " (written "),
            second.stderr());
        assertTrue(second.stderr().contains("stale until OpenBao answers"), second.stderr());

        proxy.mode(FaultProxy.Mode.PASS);
        Await.until(
            Duration.ofSeconds(60),
            () -> "the rotated value never arrived\n" + second.stderr(),
            () -> "canary-third-55d0".equals(value(socket)));
        Await.until(
            Duration.ofSeconds(30),
            () -> "health stayed stale\n" + second.stderr(),
            () -> {
              JsonNode now = JSON.readTree(UnixHttp.get(socket, "/v1/health").body());
              return !now.path("stale").asBoolean() && now.path("unresolved").isEmpty();
            });
        Await.until(
            Duration.ofSeconds(30),
            () -> "the cache never took the fresh value\n" + second.stderr(),
            () -> decrypt(cache, key).contains("canary-third-55d0"));
        logs.append(second.stderr()).append(second.stdout());
      }

      // OpenBao reachable at start: the (older) cached value is never seen
      bao.put("app/db", Map.of("password", "canary-fourth-0be2"));
      try (SidecarProcess third =
          SidecarProcess.start(work, Map.of(), "run", "-c", config.toString())) {
        third.awaitHealth(
            socket,
            r -> {
              try {
                UnixHttp.Response env = UnixHttp.get(socket, "/v1/env");
                if (env.status() != 200) {
                  return false;
                }
                assertEquals(
                    "canary-fourth-0be2",
                    JSON.readTree(env.body()).path("values").path("DB_PASSWORD").asText(),
                    "the first value served is OpenBao's");
                return true;
              } catch (java.io.IOException e) {
                return false;
              }
            },
            Duration.ofSeconds(60));
        JsonNode h = JSON.readTree(UnixHttp.get(socket, "/v1/health").body());
        assertFalse(h.path("stale").asBoolean(), h.toString());
        assertFalse(third.stderr().contains("cache: serving"), third.stderr());
        logs.append(third.stderr()).append(third.stdout());
      }
      assertFalse(logs.toString().contains("canary-"), "a value reached the sidecar's log");
      assertFalse(logs.toString().contains(token), "the token reached the sidecar's log");
    }
  }

  @Test
  void aCacheOnDiskIsAConfigErrorAtStart(@TempDir Path work) throws Exception {
    Files.writeString(work.resolve("token"), "s.not-used");
    Path keyFile = work.resolve("keys/cache-key");
    Files.createDirectories(keyFile.getParent());
    Files.write(keyFile, new byte[32]);
    Files.createDirectories(work.resolve("cache"));
    Path config = work.resolve("sidecar.yaml");
    Files.writeString(
        config,
        """
        openbao:
          address: http://127.0.0.1:1
        auth:
          method: token
          token-file: %s
        secrets:
          DB_PASSWORD: secret/app/db#password
        cache:
          path: %s
          key-file: %s
        """
            .formatted(work.resolve("token"), work.resolve("cache/values"), keyFile));
    SidecarProcess.Result r =
        SidecarProcess.runToEnd(work, Map.of(), "run", "-c", config.toString());
    assertEquals(2, r.exit(), r.stderr());
    String fs = Files.getFileStore(work).type();
    assertEquals(
        "bao-injector: cache.path: "
            + work.resolve("cache").toRealPath()
            + " is on "
            + fs
            + ", not tmpfs, so secrets would reach the disk; mount a tmpfs there or set"
            + " cache.allow-disk: true\n",
        r.stderr());
  }

  private static String value(Path socket) throws Exception {
    UnixHttp.Response r = UnixHttp.get(socket, "/v1/env");
    return r.status() == 200
        ? JSON.readTree(r.body()).path("values").path("DB_PASSWORD").asText()
        : null;
  }

  /**
   * The cache's documented layout: 8-byte magic, version byte, 32-byte config fingerprint (these 41
   * bytes are the associated data), 12-byte nonce, AES-256-GCM ciphertext and tag.
   */
  private static String decrypt(Path cache, byte[] key) throws Exception {
    byte[] f = Files.readAllBytes(cache);
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(
        Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, f, 41, 12));
    c.updateAAD(Arrays.copyOf(f, 41));
    return new String(c.doFinal(f, 53, f.length - 53), StandardCharsets.UTF_8);
  }
}
