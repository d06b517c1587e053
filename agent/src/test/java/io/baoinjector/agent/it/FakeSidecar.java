package io.baoinjector.agent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Just enough of the sidecar's socket API for the agent's tests: {@code GET /v1/env} and its
 * long-poll, with the sidecar's JSON (docs/outputs.md), including the 503 "starting" answer. Tests
 * change its values (each change bumps the revision), stop it, start a new instance on the same
 * path, and make it misbehave (hang, break long-polls). Real-sidecar tests are in RealSidecarIT.
 */
final class FakeSidecar implements AutoCloseable {
  final Path socket;
  final String instance = UUID.randomUUID().toString();
  private final ServerSocketChannel server;
  private final List<String> requests = new ArrayList<>();
  private long revision;
  private Map<String, String> values = new TreeMap<>();
  private Map<String, String> properties = new TreeMap<>();
  private final List<Long> requestNanos = new ArrayList<>();
  private volatile boolean closed;
  private int hangs;
  private List<String> unresolved; // non-null: starting, /v1/env answers 503
  private boolean breakLongPolls;

  private FakeSidecar(Path socket, long revision) throws IOException {
    this.socket = socket;
    this.revision = revision;
    Files.deleteIfExists(socket);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread t = new Thread(this::acceptLoop, "fake-sidecar");
    t.setDaemon(true);
    t.start();
  }

  static FakeSidecar start(Path socket, long revision) throws IOException {
    return new FakeSidecar(socket, revision);
  }

  /** Replaces values and properties; bumps the revision and wakes long-polls. */
  synchronized FakeSidecar set(Map<String, String> values, Map<String, String> properties) {
    this.values = new TreeMap<>(values);
    this.properties = new TreeMap<>(properties);
    unresolved = null;
    revision++;
    notifyAll();
    return this;
  }

  synchronized FakeSidecar set(Map<String, String> values) {
    return set(values, properties);
  }

  /**
   * The next {@code n} requests get no answer at all (a hung sidecar); the connection stays open.
   */
  synchronized FakeSidecar hang(int n) {
    hangs = n;
    return this;
  }

  /**
   * Until {@link #set} is called, {@code /v1/env} (plain and long-poll, which returns at once)
   * answers 503 with the sidecar's "starting" body listing {@code names}.
   */
  synchronized FakeSidecar starting(List<String> names) {
    unresolved = List.copyOf(names);
    notifyAll();
    return this;
  }

  /** Long-polls get their connection closed without an answer; plain GETs still work. */
  synchronized FakeSidecar breakLongPolls() {
    breakLongPolls = true;
    return this;
  }

  synchronized List<String> requests() {
    return new ArrayList<>(requests);
  }

  /** How many requests matching {@code prefix} arrived within {@code nanos} of the first such. */
  synchronized int countWithin(String prefix, long nanos) {
    Long first = null;
    int n = 0;
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i).startsWith(prefix)) {
        first = first == null ? requestNanos.get(i) : first;
        n += requestNanos.get(i) - first <= nanos ? 1 : 0;
      }
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    synchronized (this) {
      notifyAll();
    }
    Files.deleteIfExists(socket);
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        SocketChannel ch = server.accept();
        Thread t = new Thread(() -> serve(ch), "fake-sidecar-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(SocketChannel ch) {
    try (ch) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
      String requestLine = in.readLine();
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        // headers ignored
      }
      if (requestLine == null) {
        return;
      }
      String target = requestLine.split(" ")[1];
      synchronized (this) {
        requests.add(target);
        requestNanos.add(System.nanoTime());
        if (breakLongPolls && target.contains("after=")) {
          return;
        }
        if (hangs > 0) {
          hangs--;
          while (!closed) {
            wait(); // until the agent's watchdog closes the socket (we never notice) or we stop
          }
          return;
        }
      }
      String body;
      int status = 200;
      if (target.equals("/v1/env") || target.startsWith("/v1/env?")) {
        body = answer(query(target));
        status = body.startsWith("{\"status\":\"starting\"") ? 503 : 200;
      } else {
        status = 404;
        body = "{\"error\":\"not found\"}";
      }
      if (closed) {
        return; // a stopped sidecar answers nothing
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      OutputStream out = Channels.newOutputStream(ch);
      out.write(
          ("HTTP/1.1 "
                  + status
                  + " X\r\nContent-Type: application/json\r\nContent-Length: "
                  + bytes.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
    } catch (IOException | InterruptedException e) {
      // the agent hung up or we were stopped
    }
  }

  private synchronized String answer(Map<String, String> q) throws InterruptedException {
    if (q.containsKey("after")) {
      long after = Long.parseLong(q.get("after"));
      long waitMillis = Long.parseLong(q.getOrDefault("wait", "30s").replace("s", "")) * 1000;
      long deadline = System.currentTimeMillis() + waitMillis;
      while (!closed
          && unresolved == null
          && instance.equals(q.get("instance"))
          && revision == after
          && System.currentTimeMillis() < deadline) {
        wait(Math.max(1, deadline - System.currentTimeMillis()));
      }
    }
    if (unresolved != null) {
      return "{\"status\":\"starting\",\"instance\":"
          + json(instance)
          + ",\"revision\":"
          + revision
          + ",\"stale\":false,\"unresolved\":["
          + String.join(",", unresolved.stream().map(FakeSidecar::json).toList())
          + "]}";
    }
    return "{\"instance\":"
        + json(instance)
        + ",\"revision\":"
        + revision
        + ",\"values\":"
        + object(values)
        + ",\"properties\":"
        + object(properties)
        + "}";
  }

  private static Map<String, String> query(String target) {
    Map<String, String> q = new HashMap<>();
    int i = target.indexOf('?');
    if (i < 0) {
      return q;
    }
    for (String pair : target.substring(i + 1).split("&")) {
      String[] kv = pair.split("=", 2);
      q.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
    }
    return q;
  }

  private static String object(Map<String, String> m) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, String> e : m.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append(json(e.getKey())).append(':').append(json(e.getValue()));
    }
    return sb.append('}').toString();
  }

  static String json(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
