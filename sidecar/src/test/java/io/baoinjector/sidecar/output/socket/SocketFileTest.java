package io.baoinjector.sidecar.output.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.metrics.Metrics;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SocketFileTest {
  @TempDir Path dir;

  static SocketServer socketOnly(OutputSettings.Socket socket) {
    return new SocketServer(socket, null, new SnapshotHub(), new Metrics(), () -> true);
  }

  @Test
  void ownerIsSetBeforeTheSocketAppears() throws Exception {
    Path sock = dir.resolve("agent.sock");
    SocketServer s = socketOnly(new OutputSettings.Socket(sock, 0660, List.of(), 65534, 65534));
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
  void anyPathWithinTheKernelLimitWorksALongerOneIsRefusedWithTheReason() throws Exception {
    // 106 bytes in all with a 1-byte file name: once refused, as <dir>/.biXXXXXX/s did not fit.
    // (106, not 107: the JDK's client refuses a 107-byte path, the kernel would take it.)
    String base = dir.toString() + "/";
    Path deep = Files.createDirectories(Path.of(base + "d".repeat(104 - base.length())));
    Path sock = deep.resolve("s");
    assertEquals(106, sock.toString().length());
    SocketServer s = socketOnly(new OutputSettings.Socket(sock, 0600, List.of(), null, null));
    s.start();
    try {
      assertEquals(503, Uds.get(sock, "/v1/health").status());
    } finally {
      s.stop();
    }
    Path tooLong = deep.resolve("sss");
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                socketOnly(new OutputSettings.Socket(tooLong, 0600, List.of(), null, null))
                    .start());
    assertEquals(
        "outputs.socket.path: "
            + tooLong
            + " is longer than the kernel's 107 bytes for a socket path; use a shorter path",
        e.getMessage());
    try (var l = Files.list(deep)) {
      assertEquals(0, l.count(), "socket and staging directory removed");
    }
  }

  /**
   * The other uid, between bind and publish, renames the staging directory away and puts a symlink
   * to its own directory in its place, where {@code s} links to a root-only file.
   */
  @Test
  void aStagingDirectorySwappedForASymlinkRedirectsNeitherTheChmodNorTheSocket() throws Exception {
    Files.setAttribute(dir, "unix:mode", 0777);
    Path other = Files.createTempDirectory("bi-other");
    try {
      Path victim = Files.writeString(other.resolve("victim"), "root's own");
      Files.setAttribute(victim, "unix:mode", 0600);
      Path attacker = Files.createDirectory(other.resolve("attacker"));
      Files.createSymbolicLink(attacker.resolve("s"), victim);
      Path sock = dir.resolve("agent.sock");
      SocketFile f = new SocketFile(sock, 0666, 65534, 65534);
      Path staged = f.prepare();
      try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        ch.bind(UnixDomainSocketAddress.of(staged));
        Path staging;
        try (var l = Files.list(dir)) {
          staging = l.filter(p -> p.getFileName().toString().startsWith(".bi")).findFirst().get();
        }
        Files.move(staging, dir.resolve("moved-away"));
        Files.createSymbolicLink(staging, attacker);

        f.publish(staged);

        assertEquals(0600, mode(victim), "the victim's mode is unchanged");
        assertEquals(0, Files.getAttribute(victim, "unix:uid"));
        assertEquals(0140666, Files.getAttribute(sock, "unix:mode", LinkOption.NOFOLLOW_LINKS));
        assertEquals(65534, Files.getAttribute(sock, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
          assertTrue(c.isConnected(), "our socket is at the final path");
        }
        assertTrue(Files.isSymbolicLink(attacker.resolve("s")), "the planted link is untouched");
      } finally {
        f.remove();
      }
    } finally {
      try (Stream<Path> s = Files.walk(other)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static int mode(Path p) throws IOException {
    return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
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
    assertEquals(Duration.ofSeconds(90), WaitParam.parse("1m30s", max));
    assertEquals(Duration.ZERO, WaitParam.parse("0s", max));
    assertEquals(max, WaitParam.parse("1000m", max));
    assertEquals(max, WaitParam.parse("99999999999999999s", max));
    assertThrows(IllegalArgumentException.class, () -> WaitParam.parse("-1s", max));
    assertThrows(IllegalArgumentException.class, () -> WaitParam.parse("soon", max));
  }
}
