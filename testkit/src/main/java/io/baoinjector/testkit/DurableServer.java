package io.baoinjector.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The non-dev half of {@link OpenBao}: one node with {@code storage "raft"} on disk (OpenBao 2.7
 * removed {@code storage "file"}; a single Raft node is its durable replacement), and init (one
 * Shamir key share) plus unseal on first start, unseal alone on later starts of the same data.
 */
final class DurableServer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DurableServer() {}

  static Path writeConfig(Path workDir, int port, int clusterPort) {
    Path data = workDir.resolve("raft-data-" + port);
    Path cfg = workDir.resolve("openbao-" + port + ".hcl");
    String hcl =
        """
        storage "raft" {
          path                   = "%s"
          node_id                = "single"
          performance_multiplier = 1
        }
        listener "tcp" {
          address         = "127.0.0.1:%d"
          cluster_address = "127.0.0.1:%d"
          tls_disable     = true
        }
        api_addr     = "http://127.0.0.1:%d"
        cluster_addr = "https://127.0.0.1:%d"
        ui           = false
        """
            .formatted(data, port, clusterPort, port, clusterPort);
    try {
      Files.createDirectories(data);
      Files.writeString(cfg, hcl);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cfg;
  }

  /**
   * Waits until the server answers, initialises it if new (then makes the {@link OpenBao}'s own
   * root token id, so restarts keep one token), unseals it and returns the unseal key.
   */
  static String initAndUnseal(OpenBao b, String unsealKey, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode status = null;
    while (status == null) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("bao server never answered:\n" + b.log());
      }
      if (!b.process().isAlive()) {
        throw new IllegalStateException("bao server exited:\n" + b.log());
      }
      try {
        HttpResponse<String> r = b.raw(null, "GET", "sys/seal-status", null);
        if (r.statusCode() == 200) {
          status = JSON.readTree(r.body());
        }
      } catch (UncheckedIOException | IOException e) {
        // not listening yet
      }
      if (status == null) {
        OpenBao.sleep(50);
      }
    }
    String initToken = null;
    if (!status.path("initialized").asBoolean()) {
      JsonNode init =
          b.api(null, "PUT", "sys/init", Map.of("secret_shares", 1, "secret_threshold", 1));
      unsealKey = init.path("keys_base64").path(0).asText();
      initToken = init.path("root_token").asText();
    }
    if (unsealKey == null) {
      throw new IllegalStateException(
          "the durable server is initialised but its unseal key is lost");
    }
    b.api(null, "PUT", "sys/unseal", Map.of("key", unsealKey));
    if (initToken != null) {
      awaitActive(b, deadline);
      b.api(
          initToken,
          "POST",
          "auth/token/create",
          Map.of("id", b.rootToken(), "policies", List.of("root"), "no_parent", true));
      b.api(initToken, "POST", "auth/token/revoke-self", null);
    }
    return unsealKey;
  }

  private static void awaitActive(OpenBao b, long deadline) {
    while (System.nanoTime() < deadline) {
      try {
        if (b.raw(null, "GET", "sys/health", null).statusCode() == 200) {
          return;
        }
      } catch (UncheckedIOException e) {
        // restarting
      }
      OpenBao.sleep(50);
    }
    throw new IllegalStateException("bao server never became active:\n" + b.log());
  }
}
