package io.baoinjector.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code bao server} process behind an {@link OpenBao}: started (dev, or durable and unsealed),
 * waited for until healthy, signalled, stopped. Each start writes its own log file, so a restart
 * does not hide what the previous process said.
 */
final class BaoProcess {
  private static final Pattern UNSEAL = Pattern.compile("Unseal Key: (\\S+)");

  private final OpenBao owner;
  private final Path bao;
  private final Path workDir;
  private final boolean leasedKv;
  private final boolean durable;
  private final int port;
  private final int clusterPort = OpenBao.freePort();
  private volatile String unsealKey;
  private Process process;
  private Path log;
  private int starts;

  BaoProcess(OpenBao owner, Path bao, Path workDir, boolean leasedKv, boolean durable, int port) {
    this.owner = owner;
    this.bao = bao;
    this.workDir = workDir;
    this.leasedKv = leasedKv;
    this.durable = durable;
    this.port = port;
  }

  synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("OpenBao is already running on " + owner.address());
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
      cmd.add("-dev-root-token-id=" + owner.rootToken());
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
      unsealKey = DurableServer.initAndUnseal(owner, unsealKey, Duration.ofSeconds(30));
    }
    waitHealthy(Duration.ofSeconds(30));
  }

  synchronized Process process() {
    return process;
  }

  String log() {
    try {
      return log == null ? "" : Files.readString(log);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** Unseals with the server's key and waits until it is active again. */
  void unseal() {
    String key = unsealKey;
    if (key == null) {
      Matcher m = UNSEAL.matcher(log());
      if (!m.find()) {
        throw new IllegalStateException("no unseal key in the dev server's output");
      }
      key = m.group(1);
    }
    owner.api("PUT", "sys/unseal", Map.of("key", key));
    if (process() != null) {
      // a Raft node is unsealed before it is active (leader again): writes fail until then
      waitHealthy(Duration.ofSeconds(30));
    }
  }

  void waitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "bao server exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        HttpResponse<String> r =
            owner
                .http()
                .send(
                    HttpRequest.newBuilder(URI.create(owner.address() + "/v1/sys/health"))
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
      OpenBao.sleep(50);
    }
    throw new IllegalStateException("bao server not healthy after " + timeout + ":\n" + log());
  }

  synchronized void signal(String name) {
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

  synchronized void stop() {
    if (process == null) {
      return;
    }
    if (process.isAlive()) {
      signal("CONT"); // a paused server would hold SIGTERM until it runs again
    }
    ChildProcess.stop(process, 10);
  }

  synchronized void kill() {
    if (process == null) {
      return;
    }
    ChildProcess.kill(process);
  }

  synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }
}
