package io.baoinjector.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests mount the socket's volume read-only in the app container. That works because
 * connect() needs no write access to the filesystem; this proves it on this kernel with a real
 * read-only bind mount (in a private mount namespace, {@code unshare -m}, so nothing leaks). Needs
 * root, as CI has; fails otherwise.
 */
@Timeout(120)
class ReadOnlySocketMountTest {
  @TempDir Path tmp;

  @Test
  void appConnectsToTheSocketThroughAReadOnlyMount() throws Exception {
    assertTrue(Proc.isRoot(), "mount needs root: run the docker/ tests as root (CI does)");
    Path shared = Files.createDirectories(tmp.resolve("shared"));
    Path readOnly = Files.createDirectories(tmp.resolve("app-view"));
    Path client = tmp.resolve("Connect.java");
    try (InputStream in = getClass().getResourceAsStream("/ro-mount/Connect.java")) {
      Files.copy(in, client, StandardCopyOption.REPLACE_EXISTING);
    }
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(shared.resolve("agent.sock")));
      Thread acceptor =
          new Thread(
              () -> {
                try (SocketChannel ch = server.accept()) {
                  ch.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
                } catch (Exception ignored) {
                  // the assertion on the client's output reports a failure
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();

      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String script =
          String.join(
              " && ",
              "mount --bind '" + shared + "' '" + readOnly + "'",
              "mount -o remount,ro,bind '" + readOnly + "'",
              "if touch '" + readOnly + "/probe' 2>/dev/null; then echo WRITABLE; exit 3; fi",
              "'" + java + "' '" + client + "' '" + readOnly + "/agent.sock'");
      Proc.Result r = Proc.run(List.of("unshare", "-m", "sh", "-c", script));
      assertEquals(0, r.exit(), r.output());
      assertTrue(r.output().contains("read: hello"), r.output());
    }
  }
}
