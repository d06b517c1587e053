package io.baoinjector.agent.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The socket the agent connects to, relaying each request byte for byte to the real sidecar's
 * socket and recording its target, so a test can say what the agent asked. The fake part is only
 * what a real sidecar never does: leave a request unanswered ({@link #hang}), drop a long-poll's
 * connection without an answer ({@link #breakLongPolls}), and serve a body today's sidecar no
 * longer sends ({@link #answer}: the 200 with an empty revision 0 of sidecars before the 503).
 */
final class FaultRelay implements AutoCloseable {
  private final Path front;
  private final Path back;
  private final ServerSocketChannel server;
  private final Set<Channel> open = ConcurrentHashMap.newKeySet();
  private final List<String> requests = new ArrayList<>();
  private final List<Long> requestNanos = new ArrayList<>();
  private volatile boolean closed;
  private int hangs;
  private boolean breakLongPolls;
  private String answer;

  FaultRelay(Path front, Path back) throws IOException {
    this.front = front;
    this.back = back;
    Files.deleteIfExists(front);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(front));
    Thread t = new Thread(this::acceptLoop, "fault-relay");
    t.setDaemon(true);
    t.start();
  }

  /**
   * The next {@code n} requests get no answer at all (a hung sidecar); the connection stays open.
   */
  synchronized void hang(int n) {
    hangs = n;
  }

  /** Long-polls get their connection closed without an answer; plain GETs still work. */
  synchronized void breakLongPolls() {
    breakLongPolls = true;
  }

  /** Every request is answered 200 with {@code body} instead of being relayed. */
  synchronized void answer(String body) {
    answer = body;
  }

  synchronized List<String> requests() {
    return new ArrayList<>(requests);
  }

  /** Waits (60 s at most) for a request whose target starts with {@code prefix}. */
  synchronized void awaitRequest(String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (requests.stream().noneMatch(r -> r.startsWith(prefix))) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no request for " + prefix + ": " + requests);
      }
      wait(left / 1_000_000 + 1);
    }
  }

  /**
   * How many requests matching {@code prefix} arrived within {@code nanos} of the first such, once
   * that window has passed on this relay's clock (there is one: see {@link #awaitRequest}).
   */
  synchronized int countWithin(String prefix, long nanos) throws InterruptedException {
    awaitRequest(prefix);
    Long first = null;
    for (int i = 0; i < requests.size() && first == null; i++) {
      first = requests.get(i).startsWith(prefix) ? requestNanos.get(i) : null;
    }
    for (long left; (left = first + nanos - System.nanoTime()) > 0; ) {
      wait(left / 1_000_000 + 1);
    }
    int n = 0;
    for (int i = 0; i < requests.size(); i++) {
      n += requests.get(i).startsWith(prefix) && requestNanos.get(i) - first <= nanos ? 1 : 0;
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    server.close();
    for (Channel ch : open) {
      ch.close();
    }
    Files.deleteIfExists(front);
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        SocketChannel ch = server.accept();
        open.add(ch);
        Thread t = new Thread(() -> relay(ch), "fault-relay-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void relay(SocketChannel client) {
    try (client) {
      byte[] head = readHead(client);
      String target = new String(head, StandardCharsets.US_ASCII).split(" ", 3)[1];
      String body;
      synchronized (this) {
        requests.add(target);
        requestNanos.add(System.nanoTime());
        notifyAll();
        if (breakLongPolls && target.contains("after=")) {
          return;
        }
        if (hangs > 0) {
          hangs--;
          while (!closed) {
            wait(); // the agent's watchdog closes its end; we hold ours until close()
          }
          return;
        }
        body = answer;
      }
      OutputStream out = Channels.newOutputStream(client);
      if (body != null) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(
            ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length
                    + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        return;
      }
      try (SocketChannel sidecar = SocketChannel.open(UnixDomainSocketAddress.of(back))) {
        open.add(sidecar);
        Channels.newOutputStream(sidecar).write(head);
        Channels.newInputStream(sidecar).transferTo(out);
      } finally {
        open.removeIf(ch -> !ch.isOpen());
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // the agent hung up, the sidecar stopped, or we were closed: the agent sees the connection
      // end
    }
  }

  /** The request up to its blank line; the agent sends GETs only, so there is no body. */
  private static byte[] readHead(SocketChannel ch) throws IOException {
    InputStream in = Channels.newInputStream(ch);
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    for (int tail = 0, b; tail != 0x0d0a0d0a; tail = tail << 8 | b) {
      if ((b = in.read()) < 0) {
        throw new IOException("closed before the request's end");
      }
      head.write(b);
    }
    return head.toByteArray();
  }
}
