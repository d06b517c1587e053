package io.baoinjector.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A test server's HTTP API and {@code bao} CLI, as {@link OpenBao} offers them. */
final class BaoCalls {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BaoCalls() {}

  static JsonNode api(OpenBao b, String token, String method, String path, Object body) {
    HttpResponse<String> r = raw(b, token, method, path, body);
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          method + " /v1/" + path + " -> " + r.statusCode() + ": " + r.body());
    }
    try {
      return r.body().isEmpty() ? null : JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HttpResponse<String> raw(
      OpenBao b, String token, String method, String path, Object body) {
    try {
      HttpRequest.Builder req =
          HttpRequest.newBuilder(URI.create(b.address() + "/v1/" + path))
              .timeout(Duration.ofSeconds(10));
      if (token != null) {
        req.header("X-Vault-Token", token);
      }
      req.method(
          method,
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      return b.http().send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " /v1/" + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static String cli(OpenBao b, Path workDir, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(b.binary().toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("BAO_ADDR", b.address());
    pb.environment().put("BAO_TOKEN", b.rootToken());
    pb.environment().put("HOME", workDir.toString());
    try {
      Process p = pb.redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("bao " + String.join(" ", args) + " failed:\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * On durable storage a new KV v2 mount first upgrades itself and answers 400 "Upgrading from
   * non-versioned to versioned data" meanwhile, to data reads too; returns once a read of an absent
   * secret answers 404.
   */
  static void awaitKvV2(OpenBao b, String mount) {
    try {
      Await.until(
          Duration.ofSeconds(30),
          () -> mount + "/ never finished its KV v2 upgrade",
          () -> b.raw(b.rootToken(), "GET", mount + "/data/absent", null).statusCode() == 404);
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
