package io.baoinjector.sidecar.output.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.shared.wire.EnvDocument;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * exec --socket's client against a "sidecar" that is not one: huge, endless, invalid or strange
 * answers are one bounded IOException (or a document exec filters), never an OutOfMemoryError.
 */
class EnvClientHostileTest {
  /** What the fake server does with one accepted connection. */
  interface Answer {
    void write(OutputStream out) throws IOException;
  }

  /** Serves {@code answer} to one connection on a thread, after reading the request head. */
  static Path serve(Path dir, Answer answer) throws IOException {
    Path sock = dir.resolve("fake.sock");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(sock));
    Thread t =
        new Thread(
            () -> {
              try (server;
                  SocketChannel ch = server.accept()) {
                ch.read(ByteBuffer.allocate(8192));
                answer.write(Channels.newOutputStream(ch));
              } catch (IOException e) {
                // the client hung up: what a hostile answer should make it do
              }
            },
            "fake-sidecar");
    t.setDaemon(true);
    t.start();
    return sock;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aHundredMegabyteDocumentIsRefusedFromItsLength(@TempDir Path dir) throws Exception {
    Path sock =
        serve(dir, out -> out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 104857600\r\n\r\n")));
    IOException e =
        assertThrows(IOException.class, () -> new EnvClient(sock).next(null, Duration.ZERO));
    assertEquals("http: Content-Length out of range", e.getMessage());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void anEndlessChunkedBodyStopsAtTheBodyLimit(@TempDir Path dir) throws Exception {
    byte[] chunk = new byte[65536 + 10];
    byte[] head = ascii("10000\r\n");
    System.arraycopy(head, 0, chunk, 0, head.length);
    java.util.Arrays.fill(chunk, head.length, head.length + 65536, (byte) 'a');
    chunk[chunk.length - 3] = '\r';
    chunk[chunk.length - 2] = '\n';
    byte[] one = java.util.Arrays.copyOf(chunk, chunk.length - 1);
    Path sock =
        serve(
            dir,
            out -> {
              out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"));
              while (true) {
                out.write(one);
              }
            });
    IOException e =
        assertThrows(IOException.class, () -> new EnvClient(sock).next(null, Duration.ZERO));
    assertTrue(e.getMessage().startsWith("http: "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void invalidJsonIsOneLine(@TempDir Path dir) throws Exception {
    Path sock =
        serve(
            dir,
            out -> out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{\"values\"")));
    IOException e =
        assertThrows(IOException.class, () -> new EnvClient(sock).next(null, Duration.ZERO));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aHundredThousandNamesAndNamesThatAreNotEnvNamesAreReadAsServed(@TempDir Path dir)
      throws Exception {
    StringBuilder b = new StringBuilder("{\"instance\":\"i\",\"revision\":1,\"values\":{");
    for (int i = 0; i < 100_000; i++) {
      b.append("\"N").append(i).append("\":\"v\",");
    }
    b.append("\"A=B\":\"x\",\"NUL\\u0000\":\"x\",\"LD_PRELOAD\":\"/tmp/x.so\"}}");
    byte[] body = ascii(b.toString());
    Path sock =
        serve(
            dir,
            out -> {
              out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n"));
              out.write(body);
            });
    EnvDocument d = new EnvClient(sock).next(null, Duration.ZERO);
    assertEquals(100_003, d.values.size());
    // ChildEnvironment.build keeps only valid names and NUL-free values for the child
    assertTrue(d.values.containsKey("A=B"));
  }
}
