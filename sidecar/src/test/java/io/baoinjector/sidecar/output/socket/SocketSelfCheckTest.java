package io.baoinjector.sidecar.output.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.metrics.Metrics;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A listener that closes under a running server is reported once, so the sidecar can exit 1. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SocketSelfCheckTest {
  @TempDir Path dir;
  SnapshotHub hub = new SnapshotHub("inst-c", java.time.Clock.systemUTC());
  BlockingQueue<String> lost = new LinkedBlockingQueue<>();
  SocketServer server;

  void start() throws Exception {
    server =
        new SocketServer(
            new OutputSettings.Socket(dir.resolve("agent.sock"), 0600, List.of(), null, null),
            new OutputSettings.Http(new InetSocketAddress("127.0.0.1", 0)),
            hub,
            new Metrics(),
            () -> true,
            SocketServer.Limits.DEFAULTS,
            lost::add);
    server.start();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void aClosedTcpListenerIsReportedOnce() throws Exception {
    start();
    Channel tcp = server.listenerChannel(false);
    assertNotNull(tcp);
    tcp.close();
    String why = lost.poll(30, TimeUnit.SECONDS);
    assertNotNull(why, "a closed TCP listener went unnoticed");
    assertTrue(why.contains("TCP listener 127.0.0.1"), why);
    assertTrue(why.contains("closed unexpectedly"), why);
    // one line, once: later checks do not repeat it
    assertEquals(
        null, lost.poll(3 * SocketServer.LISTENER_CHECK.toMillis(), TimeUnit.MILLISECONDS));
  }

  @Test
  void aClosedSocketListenerIsReported() throws Exception {
    start();
    server.listenerChannel(true).close();
    String why = lost.poll(30, TimeUnit.SECONDS);
    assertNotNull(why, "a closed socket listener went unnoticed");
    assertTrue(why.contains("socket listener " + dir.resolve("agent.sock")), why);
  }

  @Test
  void aNormalStopIsNotALostListener() throws Exception {
    start();
    server.stop();
    server = null;
    assertEquals(
        null, lost.poll(3 * SocketServer.LISTENER_CHECK.toMillis(), TimeUnit.MILLISECONDS));
  }
}
