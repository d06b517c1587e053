package io.baoinjector.sidecar.output.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.metrics.Metrics;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A listener that closes under a running server is reported once, so the sidecar can exit 1. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SocketSelfCheckTest extends SocketServerFixture {
  BlockingQueue<String> lost = new LinkedBlockingQueue<>();

  SocketSelfCheckTest() {
    super("inst-c");
  }

  void start() throws Exception {
    server =
        new SocketServer(
            new OutputSettings.Socket(sock(), 0600, List.of(), null, null),
            new OutputSettings.Http(new InetSocketAddress("127.0.0.1", 0)),
            hub,
            new Metrics(),
            () -> true,
            SocketServer.Limits.DEFAULTS,
            lost::add);
    server.start();
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
