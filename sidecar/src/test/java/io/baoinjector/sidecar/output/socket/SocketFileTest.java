package io.baoinjector.sidecar.output.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.metrics.Metrics;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SocketFileTest {
  @TempDir Path dir;

  @Test
  void ownerIsSetBeforeTheSocketAppears() throws Exception {
    Path sock = dir.resolve("agent.sock");
    SocketServer s =
        new SocketServer(
            new OutputSettings.Socket(sock, 0660, List.of(), 65534, 65534),
            null,
            new SnapshotHub(),
            new Metrics(),
            () -> true);
    s.start();
    try {
      assertEquals(65534, Files.getAttribute(sock, "unix:uid", LinkOption.NOFOLLOW_LINKS));
      assertEquals(65534, Files.getAttribute(sock, "unix:gid", LinkOption.NOFOLLOW_LINKS));
      assertEquals(503, Uds.get(sock, "/v1/health").status());
    } finally {
      s.stop();
    }
  }

  @Test
  void aPathWithNoRoomForTheStagingDirectoryIsRefusedWithTheReason() throws Exception {
    // 107 bytes in all with a 1-byte file name: the staging path would need 8 more.
    String base = dir.toString() + "/";
    Path deep = Files.createDirectories(Path.of(base + "d".repeat(105 - base.length())));
    Path sock = deep.resolve("s");
    assertEquals(107, sock.toString().length());
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                new SocketServer(
                        new OutputSettings.Socket(sock, 0600, List.of(), null, null),
                        null,
                        new SnapshotHub(),
                        new Metrics(),
                        () -> true)
                    .start());
    assertTrue(
        e.getMessage().startsWith("outputs.socket.path: " + sock + " leaves no room"),
        e.getMessage());
    try (var l = Files.list(deep)) {
      assertEquals(0, l.count(), "staging directory removed");
    }
  }

  @Test
  void aTakenTcpPortIsOneClearError() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      java.net.InetSocketAddress addr =
          new java.net.InetSocketAddress("127.0.0.1", taken.getLocalPort());
      SocketServer s =
          new SocketServer(
              null, new OutputSettings.Http(addr), new SnapshotHub(), new Metrics(), () -> true);
      IOException e = assertThrows(IOException.class, s::start);
      assertTrue(
          e.getMessage().startsWith("outputs.http.address: cannot listen on " + addr + ": "),
          e.getMessage());
    }
  }

  @Test
  void waitParameterParsesAndIsCapped() {
    Duration max = Duration.ofMinutes(5);
    assertEquals(Duration.ofSeconds(30), WaitParam.parse(null, max));
    assertEquals(Duration.ofSeconds(30), WaitParam.parse("30s", max));
    assertEquals(Duration.ofMillis(500), WaitParam.parse("500ms", max));
    assertEquals(Duration.ofMinutes(2), WaitParam.parse("2m", max));
    assertEquals(Duration.ofSeconds(7), WaitParam.parse("7", max));
    assertEquals(max, WaitParam.parse("1000m", max));
    assertEquals(max, WaitParam.parse("99999999999999999s", max));
    assertThrows(IllegalArgumentException.class, () -> WaitParam.parse("-1s", max));
    assertThrows(IllegalArgumentException.class, () -> WaitParam.parse("soon", max));
  }
}
