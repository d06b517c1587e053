package io.baoinjector.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A real {@code bao server -dev} on a free loopback port with a random root token, plus the setup
 * helpers tests need. The dev server keeps everything in memory: {@link #restart()} comes back on
 * the same address and token but empty, which is what an outage test wants.
 */
public final class OpenBao implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path bao;
  private final Path workDir;
  private final int port;
  private final String rootToken;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final BaoProcess process;

  OpenBao(Path bao, Path workDir, boolean leasedKv) {
    this(bao, workDir, leasedKv, false, freePort(), randomRootToken());
  }

  OpenBao(Path bao, Path workDir, boolean leasedKv, boolean durable, int port, String rootToken) {
    this.bao = bao;
    this.workDir = workDir;
    this.port = port;
    this.rootToken = rootToken;
    this.process = new BaoProcess(this, bao, workDir, leasedKv, durable, port);
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
    return process.log();
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  synchronized void startProcess() {
    process.start();
  }

  /** The running process, or null; for helpers polling it. */
  Process process() {
    return process.process();
  }

  HttpClient http() {
    return http;
  }

  /**
   * Freezes the server with SIGSTOP (a hung node): connections are still accepted by the kernel,
   * but nothing answers until {@link #resume()}.
   */
  public synchronized void pause() {
    process.signal("STOP");
  }

  /** Lets a {@link #pause() paused} server run again with SIGCONT. */
  public synchronized void resume() {
    process.signal("CONT");
  }

  /** Kills the server (an outage). */
  public synchronized void stop() {
    process.stop();
  }

  /** SIGKILL: no shutdown at all (a durable server keeps what was written). */
  public synchronized void kill() {
    process.kill();
  }

  /**
   * Starts the server again on the same address and root token. A dev server's storage starts
   * empty; a durable server comes back with its data, unsealed.
   */
  public synchronized void restart() {
    process.stop();
    process.start();
  }

  public boolean isRunning() {
    return process.isRunning();
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
    process.unseal();
  }

  // ---- HTTP API -------------------------------------------------------------------------------

  /** Calls the API as root; throws with OpenBao's errors on a non-2xx answer. Null for 204. */
  public JsonNode api(String method, String path, Object body) {
    return api(rootToken, method, path, body);
  }

  public JsonNode api(String token, String method, String path, Object body) {
    return BaoCalls.api(this, token, method, path, body);
  }

  /** Calls the API and returns the raw answer, whatever its status. */
  public HttpResponse<String> raw(String token, String method, String path, Object body) {
    return BaoCalls.raw(this, token, method, path, body);
  }

  /** Runs the {@code bao} CLI against this server as root; returns stdout, throws on failure. */
  public String cli(String... args) {
    return BaoCalls.cli(this, workDir, args);
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

  public void kvV1Put(String mount, String path, Map<String, ?> data) {
    api("POST", mount + "/" + path, data);
  }

  public void enableKvV1(String mount) {
    api("POST", "sys/mounts/" + mount, Map.of("type", "kv", "options", Map.of("version", "1")));
  }

  /** Mounts KV v2 and returns once it takes writes (see {@link BaoCalls#awaitKvV2}). */
  public void enableKvV2(String mount) {
    api("POST", "sys/mounts/" + mount, Map.of("type", "kv", "options", Map.of("version", "2")));
    BaoCalls.awaitKvV2(this, mount);
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
    return AuthSetup.appRole(this, role, roleOptions);
  }

  public String newSecretId(String role) {
    return AuthSetup.newSecretId(this, role);
  }

  /** A response-wrapped secret id: the wrapping token's creation path is the secret-id endpoint. */
  public String wrappedSecretId(String role, String ttl) {
    return AuthSetup.wrapped(this, "auth/approle/role/" + role + "/secret-id", "{}", ttl);
  }

  /**
   * Wraps an arbitrary payload with {@code sys/wrapping/wrap} (creation path: sys/wrapping/wrap).
   */
  public String wrap(Map<String, ?> data, String ttl) {
    return AuthSetup.wrapped(this, "sys/wrapping/wrap", data, ttl);
  }

  /**
   * Enables JWT auth at {@code jwt/} with a fresh RSA key pair and creates {@code role} (user claim
   * {@code sub}, audience {@code bao-injector}). The returned {@link Jwt} signs tokens it accepts.
   */
  public Jwt jwtAuth(String role, List<String> policies) {
    return AuthSetup.jwt(this, role, policies);
  }

  /**
   * Enables Kubernetes auth at {@code kubernetes/}, pointed at {@code kubernetesHost} (a
   * MockWebServer answering TokenReview in tests), and creates {@code role} bound to the service
   * account {@code app} in namespace {@code default}. OpenBao requires a CA certificate once {@code
   * disable_local_ca_jwt} is set; any valid PEM does for a plain-http reviewer.
   */
  public void kubernetesAuth(
      String kubernetesHost, String caCertPem, String role, List<String> policies) {
    AuthSetup.kubernetes(this, kubernetesHost, caCertPem, role, policies);
  }

  /** The role id and secret id of an AppRole role. */
  public record AppRole(String role, String roleId, String secretId) {
    @Override
    public String toString() {
      return "AppRole[" + role + "]";
    }
  }

  /** A loopback TCP port that was free a moment ago. */
  public static int freePort() {
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
