package io.baoinjector.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Three OpenBao nodes on loopback sharing {@code storage "raft"} (joined by {@code retry_join}),
 * auto-unsealed by one {@code seal "static"} key, so a killed node comes back unsealed on its own.
 * Node 0 is initialised; the others join it. Every wait polls with a deadline.
 *
 * <p>Raft runs with {@code performance_multiplier = 1} (the fastest timing OpenBao allows), so a
 * failover takes seconds, not the production default's tens of seconds.
 */
public final class RaftCluster implements AutoCloseable {
  public static final int SIZE = 3;

  private final Path workDir;
  private final Path keyFile;
  private final int[] apiPorts = new int[SIZE];
  private final int[] clusterPorts = new int[SIZE];
  private final Process[] processes = new Process[SIZE];
  private final int[] starts = new int[SIZE];
  private final String rootToken = OpenBao.randomRootToken();
  private final OpenBao[] clients = new OpenBao[SIZE];

  private RaftCluster(Path workDir) throws IOException {
    this.workDir = Files.createDirectories(workDir);
    this.keyFile = workDir.resolve("static-seal.key");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Files.write(keyFile, key);
    for (int i = 0; i < SIZE; i++) {
      apiPorts[i] = OpenBao.freePort();
      clusterPorts[i] = OpenBao.freePort();
    }
    for (int i = 0; i < SIZE; i++) {
      Path data = Files.createDirectories(workDir.resolve("raft-data-" + i));
      Files.writeString(config(i), RaftConfig.hcl(i, data, apiPorts, clusterPorts, keyFile));
      clients[i] = OpenBao.client(workDir, apiPorts[i], rootToken);
    }
  }

  /** Starts, initialises and joins three nodes; returns when all three are unsealed voters. */
  public static RaftCluster start(Path workDir, Duration timeout) {
    RaftCluster c;
    try {
      c = new RaftCluster(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      c.launch(0);
      c.initialise(deadline);
      c.launch(1);
      c.launch(2);
      c.waitHealthy(Duration.ofNanos(deadline - System.nanoTime()));
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  public String rootToken() {
    return rootToken;
  }

  /** The API address of every node, for an HA client configuration. */
  public List<String> addresses() {
    List<String> a = new ArrayList<>();
    for (int p : apiPorts) {
      a.add("http://127.0.0.1:" + p);
    }
    return a;
  }

  /** The node whose API port is {@code port}, or -1. */
  public int nodeOfPort(int port) {
    for (int i = 0; i < SIZE; i++) {
      if (apiPorts[i] == port) {
        return i;
      }
    }
    return -1;
  }

  /** An API client (root token) of node {@code i}; use {@link #leaderClient()} for writes. */
  public OpenBao client(int i) {
    return clients[i];
  }

  public OpenBao leaderClient() {
    return clients[leader()];
  }

  /** The index of the active node; throws if none is active now. */
  public int leader() {
    for (int i = 0; i < SIZE; i++) {
      if (isAlive(i) && status(i, "sys/health") == 200) {
        return i;
      }
    }
    throw new IllegalStateException("no active node");
  }

  /** Waits up to {@code timeout} for an active node; returns its index. */
  public int awaitLeader(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < SIZE; i++) {
        if (isAlive(i) && status(i, "sys/health") == 200) {
          return i;
        }
      }
      OpenBao.sleep(100);
    }
    throw new IllegalStateException("no active node after " + timeout + "\n" + logs());
  }

  /** Waits up to 60 s for a node other than {@code old} to be active; returns its index. */
  public int awaitNewLeader(int old) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      int l = awaitLeader(Duration.ofSeconds(60));
      if (l != old) {
        return l;
      }
      OpenBao.sleep(100);
    }
    throw new AssertionError("leadership never moved from node " + old + "\n" + logs());
  }

  /** {@code bao operator step-down} on the active node; returns the index that stepped down. */
  public int stepDown() {
    int l = leader();
    clients[l].cli("operator", "step-down");
    return l;
  }

  /** SIGKILL node {@code i}. */
  public void kill(int i) {
    Process p = processes[i];
    if (p != null) {
      ChildProcess.kill(p);
    }
  }

  /** Starts node {@code i} again on its ports and data; the static seal unseals it. */
  public void restart(int i) {
    kill(i);
    launch(i);
  }

  public boolean isAlive(int i) {
    return processes[i] != null && processes[i].isAlive();
  }

  /**
   * Waits until every running node is unsealed and in the cluster, and the Raft configuration has
   * {@link #SIZE} voters.
   */
  public void waitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean all = true;
      for (int i = 0; i < SIZE && all; i++) {
        all = isAlive(i) && status(i, "sys/health?standbyok=true") == 200;
      }
      if (all && voters() == SIZE) {
        return;
      }
      OpenBao.sleep(200);
    }
    throw new IllegalStateException("raft cluster not healthy after " + timeout + "\n" + logs());
  }

  private int voters() {
    try {
      JsonNode cfg = leaderClient().api("GET", "sys/storage/raft/configuration", null);
      int n = 0;
      for (JsonNode s : cfg.path("data").path("config").path("servers")) {
        n += s.path("voter").asBoolean() ? 1 : 0;
      }
      return n;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private void initialise(long deadline) {
    OpenBao c = clients[0];
    while (status(0, "sys/seal-status") != 200) {
      if (System.nanoTime() > deadline || !isAlive(0)) {
        throw new IllegalStateException("raft node 0 never answered\n" + logs());
      }
      OpenBao.sleep(50);
    }
    JsonNode init =
        c.api(null, "PUT", "sys/init", Map.of("recovery_shares", 1, "recovery_threshold", 1));
    String initToken = init.path("root_token").asText();
    while (status(0, "sys/health") != 200) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("raft node 0 never became active\n" + logs());
      }
      OpenBao.sleep(50);
    }
    c.api(
        initToken,
        "POST",
        "auth/token/create",
        Map.of("id", rootToken, "policies", List.of("root"), "no_parent", true));
    c.api(initToken, "POST", "auth/token/revoke-self", null);
    // joiners become voters after the stabilisation time (10 s by default): keep setup short
    c.api(
        "POST",
        "sys/storage/raft/autopilot/configuration",
        Map.of("server_stabilization_time", "1s", "cleanup_dead_servers", false));
    c.enableKvV2("secret");
  }

  private void launch(int i) {
    starts[i]++;
    Path log = workDir.resolve("raft-" + i + "-" + starts[i] + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(BaoBinary.path().toString(), "server", "-config=" + config(i).toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("BAO_") || k.startsWith("VAULT_"));
    pb.environment().put("HOME", workDir.toString());
    try {
      processes[i] = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start raft node " + i, e);
    }
  }

  private int status(int i, String path) {
    try {
      HttpResponse<String> r = clients[i].raw(null, "GET", path, null);
      return r.statusCode();
    } catch (UncheckedIOException e) {
      return -1;
    }
  }

  private Path config(int i) {
    return workDir.resolve("raft-" + i + ".hcl");
  }

  /** Every node's latest log, for failure messages. */
  public String logs() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < SIZE; i++) {
      Path log = workDir.resolve("raft-" + i + "-" + starts[i] + ".log");
      try {
        String s = Files.exists(log) ? Files.readString(log) : "";
        b.append("--- node ").append(i).append('\n');
        b.append(s.length() > 4000 ? s.substring(s.length() - 4000) : s);
      } catch (IOException e) {
        b.append("(cannot read ").append(log).append(")\n");
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    for (int i = 0; i < SIZE; i++) {
      kill(i);
    }
  }
}
