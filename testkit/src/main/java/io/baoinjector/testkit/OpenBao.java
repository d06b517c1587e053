package io.baoinjector.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code bao server -dev} on a free loopback port with a random root token, plus the setup
 * helpers tests need. The dev server keeps everything in memory: {@link #restart()} comes back on
 * the same address and token but empty, which is what an outage test wants.
 */
public final class OpenBao implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern UNSEAL = Pattern.compile("Unseal Key: (\\S+)");

  private final Path bao;
  private final Path workDir;
  private final boolean leasedKv;
  private final boolean durable;
  private final int clusterPort = freePort();
  private final int port;
  private final String rootToken;
  private volatile String unsealKey;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process process;
  private Path log;
  private int starts;

  OpenBao(Path bao, Path workDir, boolean leasedKv) {
    this(bao, workDir, leasedKv, false, freePort(), randomRootToken());
  }

  OpenBao(Path bao, Path workDir, boolean leasedKv, boolean durable, int port, String rootToken) {
    this.bao = bao;
    this.workDir = workDir;
    this.leasedKv = leasedKv;
    this.durable = durable;
    this.port = port;
    this.rootToken = rootToken;
  }

  static String randomRootToken() {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    return "root-" + HexFormat.of().formatHex(random);
  }

  /**
   * Starts a non-dev server storing on disk under {@code workDir} (a single Raft node: OpenBao 2.7
   * has no {@code storage "file"}), initialised with one unseal key share, unsealed, with KV v2 at
   * {@code secret/} as in dev mode. Unlike the dev server it keeps its data and tokens across
   * {@link #restart()} and {@link #kill()}, and {@link #seal()} / {@link #unseal()} work as in
   * production. The caller closes it.
   */
  public static OpenBao startDurable(Path workDir) {
    OpenBao b = new OpenBao(BaoBinary.path(), workDir, false, true, freePort(), randomRootToken());
    b.startProcess();
    b.enableKvV2("secret");
    return b;
  }

  /** A client of a server someone else runs (a Raft node): API helpers only, no lifecycle. */
  static OpenBao client(Path workDir, int port, String rootToken) {
    return new OpenBao(BaoBinary.path(), workDir, false, false, port, rootToken);
  }

  /** Starts a server now; the caller closes it. */
  public static OpenBao start(Path workDir, boolean leasedKv) {
    OpenBao b = new OpenBao(BaoBinary.path(), workDir, leasedKv);
    b.startProcess();
    return b;
  }

  public String address() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public String rootToken() {
    return rootToken;
  }

  public Path binary() {
    return bao;
  }

  /** Server output so far, for failure messages. */
  public String log() {
    try {
      return log == null ? "" : Files.readString(log);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  synchronized void startProcess() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("OpenBao is already running on " + address());
    }
    starts++;
    log = workDir.resolve("openbao-" + port + "-" + starts + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(bao.toString());
    cmd.add("server");
    if (durable) {
      cmd.add("-config=" + DurableServer.writeConfig(workDir, port, clusterPort));
    } else {
      cmd.add("-dev");
      cmd.add("-dev-root-token-id=" + rootToken);
      cmd.add("-dev-listen-address=127.0.0.1:" + port);
      cmd.add("-dev-no-store-token");
    }
    if (leasedKv) {
      cmd.add("-dev-leased-kv");
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("BAO_") || k.startsWith("VAULT_"));
    pb.environment().put("HOME", workDir.toString());
    try {
      Files.createDirectories(workDir);
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + bao, e);
    }
    if (durable) {
      unsealKey = DurableServer.initAndUnseal(this, unsealKey, Duration.ofSeconds(30));
    }
    waitHealthy(Duration.ofSeconds(30));
  }

  /** Whether the process is alive; for helpers polling it. */
  synchronized Process process() {
    return process;
  }

  HttpClient http() {
    return http;
  }

  private void waitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "bao server exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(address() + "/v1/sys/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      sleep(50);
    }
    throw new IllegalStateException("bao server not healthy after " + timeout + ":\n" + log());
  }

  /**
   * Freezes the server with SIGSTOP (a hung node): connections are still accepted by the kernel,
   * but nothing answers until {@link #resume()}.
   */
  public synchronized void pause() {
    signal("STOP");
  }

  /** Lets a {@link #pause() paused} server run again with SIGCONT. */
  public synchronized void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("OpenBao is not running");
    }
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException(
            "kill -"
                + name
                + " "
                + process.pid()
                + " failed: "
                + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kill", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Kills the server (an outage). */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    if (process.isAlive()) {
      signal("CONT"); // a paused server would hold SIGTERM until it runs again
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL: no shutdown at all (a durable server keeps what was written). */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts the server again on the same address and root token. A dev server's storage starts
   * empty; a durable server comes back with its data, unsealed.
   */
  public synchronized void restart() {
    stop();
    startProcess();
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() {
    stop();
  }

  public void seal() {
    api("PUT", "sys/seal", null);
  }

  /** Unseals with the server's key and waits until it is active again. */
  public void unseal() {
    String key = unsealKey;
    if (key == null) {
      Matcher m = UNSEAL.matcher(log());
      if (!m.find()) {
        throw new IllegalStateException("no unseal key in the dev server's output");
      }
      key = m.group(1);
    }
    api("PUT", "sys/unseal", Map.of("key", key));
    if (process != null) {
      // a Raft node is unsealed before it is active (leader again): writes fail until then
      waitHealthy(Duration.ofSeconds(30));
    }
  }

  // ---- HTTP API -------------------------------------------------------------------------------

  /** Calls the API as root; throws with OpenBao's errors on a non-2xx answer. Null for 204. */
  public JsonNode api(String method, String path, Object body) {
    return api(rootToken, method, path, body);
  }

  public JsonNode api(String token, String method, String path, Object body) {
    HttpResponse<String> r = raw(token, method, path, body);
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

  /** Calls the API and returns the raw answer, whatever its status. */
  public HttpResponse<String> raw(String token, String method, String path, Object body) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(address() + "/v1/" + path))
              .timeout(Duration.ofSeconds(10));
      if (token != null) {
        b.header("X-Vault-Token", token);
      }
      b.method(
          method,
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " /v1/" + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Runs the {@code bao} CLI against this server as root; returns stdout, throws on failure. */
  public String cli(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(bao.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("BAO_ADDR", address());
    pb.environment().put("BAO_TOKEN", rootToken);
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

  // ---- setup helpers --------------------------------------------------------------------------

  /** Writes a KV v2 secret ({@code secret/} is KV v2 in dev mode). Returns the new version. */
  public int kvV2Put(String mount, String path, Map<String, ?> data) {
    JsonNode r = api("POST", mount + "/data/" + path, Map.of("data", data));
    return r.path("data").path("version").asInt();
  }

  /** Writes to {@code secret/PATH} (KV v2). Returns the new version. */
  public int put(String path, Map<String, ?> data) {
    return kvV2Put("secret", path, data);
  }

  public void kvV2Delete(String mount, String path) {
    api("DELETE", mount + "/metadata/" + path, null);
  }

  public void kvV1Put(String mount, String path, Map<String, ?> data) {
    api("POST", mount + "/" + path, data);
  }

  public void enableKvV1(String mount) {
    api("POST", "sys/mounts/" + mount, Map.of("type", "kv", "options", Map.of("version", "1")));
  }

  public void enableKvV2(String mount) {
    api("POST", "sys/mounts/" + mount, Map.of("type", "kv", "options", Map.of("version", "2")));
  }

  public void enableAuth(String method, String mount) {
    api("POST", "sys/auth/" + mount, Map.of("type", method));
  }

  public void writePolicy(String name, String hcl) {
    api("PUT", "sys/policies/acl/" + name, Map.of("policy", hcl));
  }

  /** A token with the given policies and options (e.g. {@code ttl}, {@code explicit_max_ttl}). */
  public String createToken(Map<String, ?> options) {
    return api("POST", "auth/token/create", options).path("auth").path("client_token").asText();
  }

  /**
   * Enables AppRole at {@code approle/} (once), creates {@code role} with the given role options
   * (e.g. {@code token_policies}, {@code token_ttl}) and returns its role id and a fresh secret id.
   */
  public AppRole appRole(String role, Map<String, ?> roleOptions) {
    JsonNode auths = api("GET", "sys/auth", null);
    if (!auths.path("data").has("approle/")) {
      enableAuth("approle", "approle");
    }
    api("POST", "auth/approle/role/" + role, roleOptions);
    String roleId =
        api("GET", "auth/approle/role/" + role + "/role-id", null)
            .path("data")
            .path("role_id")
            .asText();
    return new AppRole(role, roleId, newSecretId(role));
  }

  public String newSecretId(String role) {
    return api("POST", "auth/approle/role/" + role + "/secret-id", Map.of())
        .path("data")
        .path("secret_id")
        .asText();
  }

  /** A response-wrapped secret id: the wrapping token's creation path is the secret-id endpoint. */
  public String wrappedSecretId(String role, String ttl) {
    HttpResponse<String> r = rawWrapped("auth/approle/role/" + role + "/secret-id", ttl);
    try {
      return JSON.readTree(r.body()).path("wrap_info").path("token").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Wraps an arbitrary payload with {@code sys/wrapping/wrap} (creation path: sys/wrapping/wrap).
   */
  public String wrap(Map<String, ?> data, String ttl) {
    HttpResponse<String> r;
    try {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(address() + "/v1/sys/wrapping/wrap"))
              .header("X-Vault-Token", rootToken)
              .header("X-Vault-Wrap-TTL", ttl)
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(data)))
              .build();
      r = http.send(req, HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body()).path("wrap_info").path("token").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> rawWrapped(String path, String ttl) {
    try {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(address() + "/v1/" + path))
              .header("X-Vault-Token", rootToken)
              .header("X-Vault-Wrap-TTL", ttl)
              .POST(HttpRequest.BodyPublishers.ofString("{}"))
              .build();
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException("wrap " + path + " -> " + r.statusCode() + ": " + r.body());
      }
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Enables JWT auth at {@code jwt/} with a fresh RSA key pair and creates {@code role} (user claim
   * {@code sub}, audience {@code bao-injector}). The returned {@link Jwt} signs tokens it accepts.
   */
  public Jwt jwtAuth(String role, List<String> policies) {
    Jwt jwt = Jwt.generate();
    enableAuth("jwt", "jwt");
    api("POST", "auth/jwt/config", Map.of("jwt_validation_pubkeys", List.of(jwt.publicKeyPem())));
    ObjectNode r = JSON.createObjectNode();
    r.put("role_type", "jwt");
    r.put("user_claim", "sub");
    r.putArray("bound_audiences").add("bao-injector");
    r.put("token_policies", String.join(",", policies));
    r.put("token_ttl", "1h");
    api("POST", "auth/jwt/role/" + role, r);
    return jwt;
  }

  /**
   * Enables Kubernetes auth at {@code kubernetes/}, pointed at {@code kubernetesHost} (a
   * MockWebServer answering TokenReview in tests), and creates {@code role} bound to the service
   * account {@code app} in namespace {@code default}. OpenBao requires a CA certificate once {@code
   * disable_local_ca_jwt} is set; any valid PEM does for a plain-http reviewer.
   */
  public void kubernetesAuth(
      String kubernetesHost, String caCertPem, String role, List<String> policies) {
    enableAuth("kubernetes", "kubernetes");
    api(
        "POST",
        "auth/kubernetes/config",
        Map.of(
            "kubernetes_host",
            kubernetesHost,
            "kubernetes_ca_cert",
            caCertPem,
            "disable_local_ca_jwt",
            true,
            "token_reviewer_jwt",
            "reviewer-jwt"));
    api(
        "POST",
        "auth/kubernetes/role/" + role,
        Map.of(
            "bound_service_account_names",
            List.of("app"),
            "bound_service_account_namespaces",
            List.of("default"),
            "token_policies",
            policies,
            "token_ttl",
            "1h"));
  }

  /** The role id and secret id of an AppRole role. */
  public record AppRole(String role, String roleId, String secretId) {
    @Override
    public String toString() {
      return "AppRole[" + role + "]";
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
