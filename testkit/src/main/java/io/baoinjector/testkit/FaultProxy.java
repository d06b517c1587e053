package io.baoinjector.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback between the sidecar and OpenBao that a test switches at runtime between
 * passing traffic and failing it in the ways a network or a load balancer does: resetting every
 * connection, stalling (accept, then never a byte), or answering {@code 503} to every HTTP request.
 *
 * <p>Switching the mode also aborts every open connection, since a client's pooled keep-alive
 * connection would otherwise carry on in the old mode. Threads are bounded ({@link #MAX_THREADS});
 * a connection beyond them is reset, as an overloaded proxy would. Requests are counted per request
 * line ({@code POST /v1/auth/token/renew-self}), so a test can say how many reached OpenBao.
 */
public final class FaultProxy implements AutoCloseable {
  /** What the proxy does with traffic. */
  public enum Mode {
    PASS,
    RESET,
    STALL,
    HTTP_503
  }

  static final int MAX_THREADS = 64;
  private static final int MAX_HELD = 256;
  private static final byte[] BODY_503 =
      "{\"errors\":[\"fault proxy: service unavailable\"]}".getBytes(StandardCharsets.US_ASCII);

  private final int targetPort;
  private final ServerSocket server;
  private final ThreadPoolExecutor pool;
  private final Thread acceptor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final RequestTally tally = new RequestTally();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile Mode mode = Mode.PASS;
  private volatile boolean closed;

  private FaultProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    this.pool =
        new ThreadPoolExecutor(
            0,
            MAX_THREADS,
            5,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "fault-proxy-" + server.getLocalPort());
              t.setDaemon(true);
              return t;
            });
    this.acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy on a free loopback port forwarding to {@code 127.0.0.1:targetPort}, in PASS mode. */
  public static FaultProxy to(int targetPort) {
    try {
      return new FaultProxy(targetPort);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the fault proxy", e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  public String address() {
    return "http://127.0.0.1:" + port();
  }

  public Mode mode() {
    return mode;
  }

  /** Switches the mode for every connection, aborting the open ones (their clients reconnect). */
  public void mode(Mode m) {
    mode = m;
    for (Socket s : open) {
      reset(s);
    }
  }

  /** Connections accepted, in any mode. */
  public long connections() {
    return connections.get();
  }

  /** HTTP requests forwarded to the target (PASS mode only: these reached OpenBao). */
  public long forwarded() {
    return tally.total();
  }

  /** Connections reset or stalled and requests answered 503, instead of being forwarded. */
  public long refused() {
    return refused.get();
  }

  /** How many forwarded requests had a request line containing {@code fragment}. */
  public long forwarded(String fragment) {
    return tally.matching(fragment);
  }

  /** Threads the proxy holds now (bounded by {@link #MAX_THREADS}). */
  public int activeThreads() {
    return pool.getPoolSize();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      connections.incrementAndGet();
      Mode m = mode;
      switch (m) {
        case RESET -> {
          refused.incrementAndGet();
          reset(client);
        }
        case STALL -> {
          refused.incrementAndGet();
          // no thread: the kernel buffers what the client sends and nothing comes back
          if (open.size() >= MAX_HELD) {
            reset(client);
          } else {
            open.add(client);
          }
        }
        case HTTP_503 -> spawn(client, () -> answer503(client));
        case PASS -> spawn(client, () -> forward(client));
      }
    }
  }

  private void spawn(Socket client, Runnable work) {
    open.add(client);
    try {
      pool.execute(
          () -> {
            try {
              work.run();
            } finally {
              open.remove(client);
              closeQuietly(client);
            }
          });
    } catch (RejectedExecutionException e) {
      open.remove(client);
      reset(client);
    }
  }

  private void forward(Socket client) {
    Socket upstream = new Socket();
    open.add(upstream);
    try {
      upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
      InputStream fromServer = upstream.getInputStream();
      OutputStream toClient = client.getOutputStream();
      try {
        pool.execute(() -> copy(fromServer, toClient, client, upstream));
      } catch (RejectedExecutionException e) {
        reset(client);
        return;
      }
      tally.pump(client.getInputStream(), upstream.getOutputStream());
    } catch (IOException e) {
      // either side went away: the connection ends, as it would without the proxy
    } finally {
      open.remove(upstream);
      closeQuietly(upstream);
    }
  }

  private void copy(InputStream in, OutputStream out, Socket client, Socket upstream) {
    try {
      in.transferTo(out);
    } catch (IOException e) {
      // the connection ends
    } finally {
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }

  private void answer503(Socket client) {
    try {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      while (!closed) {
        byte[] head = HttpHeads.read(in);
        if (head == null) {
          return;
        }
        refused.incrementAndGet();
        in.skipNBytes(
            HttpHeads.contentLength(new String(head, StandardCharsets.ISO_8859_1).toLowerCase()));
        String h =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                + "Content-Length: "
                + BODY_503.length
                + "\r\n\r\n";
        out.write(h.getBytes(StandardCharsets.US_ASCII));
        out.write(BODY_503);
        out.flush();
      }
    } catch (IOException e) {
      // client went away
    }
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (IOException e) {
      // already closed
    }
    closeQuietly(s);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : open) {
      reset(s);
    }
    pool.shutdownNow();
    try {
      acceptor.join(5000);
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
