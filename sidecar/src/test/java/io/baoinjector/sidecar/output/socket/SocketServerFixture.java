package io.baoinjector.sidecar.output.socket;

import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.metrics.Metrics;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the socket tests share: a hub named after the test's instance, a server on {@code
 * dir/agent.sock} over it, stopped after each test.
 */
abstract class SocketServerFixture {
  @TempDir Path dir;
  final SnapshotHub hub;
  final Metrics metrics = new Metrics();
  SocketServer server;

  SocketServerFixture(String instance) {
    hub = new SnapshotHub(instance, Clock.systemUTC());
  }

  Path sock() {
    return dir.resolve("agent.sock");
  }

  /** Sets {@link #server} to one on {@link #sock()}, not started: some tests set it up first. */
  SocketServer server(
      int mode,
      List<String> allow,
      OutputSettings.Http http,
      BooleanSupplier filesReady,
      SocketServer.Limits limits) {
    server =
        new SocketServer(
            new OutputSettings.Socket(sock(), mode, allow, null, null),
            http,
            hub,
            metrics,
            filesReady,
            limits);
    return server;
  }

  /** The default limits with {@code max}, {@code perUid} connections and {@code requestTimeout}. */
  static SocketServer.Limits limits(int max, int perUid, Duration requestTimeout) {
    SocketServer.Limits d = SocketServer.Limits.DEFAULTS;
    return new SocketServer.Limits(
        max,
        perUid,
        d.maxThreads(),
        d.headerSize(),
        d.idleTimeout(),
        requestTimeout,
        d.maxWait(),
        d.stopTimeout());
  }

  /** Waits for the server to hold {@code n} long-polls: the event a wake-up test starts from. */
  void awaitParked(int n) throws Exception {
    Await.until(
        Duration.ofSeconds(60),
        () -> "parked long-polls never reached " + n,
        () -> server.parkedLongPolls() == n);
  }

  /** {@code GET target} on another thread, for a request that parks. */
  CompletableFuture<Uds.Resp> getAsync(String target) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return Uds.get(sock(), target);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop();
    }
  }
}
