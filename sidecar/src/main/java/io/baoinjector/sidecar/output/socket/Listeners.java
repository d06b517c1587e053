package io.baoinjector.sidecar.output.socket;

import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.metrics.Metrics;
import io.baoinjector.sidecar.output.Modes;
import io.baoinjector.sidecar.output.socket.SocketServer.Limits;
import java.nio.channels.Channel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.HostPort;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server's two listeners, each behind its own {@link ConnectionGate}: the Unix socket (peer
 * uids checked, per-uid limit) and the TCP probe listener (any peer, {@link
 * SocketServer#HTTP_MAX_CONNECTIONS} at once). Knows whether each is still open.
 */
final class Listeners {
  private final OutputSettings.Socket socket;
  private final OutputSettings.Http http;
  private final List<ConnectionGate> gates = new ArrayList<>();
  private UnixDomainServerConnector uds;
  private ServerConnector tcp;

  Listeners(OutputSettings.Socket socket, OutputSettings.Http http) {
    this.socket = socket;
    this.http = http;
  }

  /** A Jetty server on a small fixed pool that no connection can hold. */
  static Server newServer(Limits limits) {
    QueuedThreadPool pool = new QueuedThreadPool(limits.maxThreads(), 2, 60_000);
    pool.setName("bao-injector-api");
    pool.setReservedThreads(0);
    pool.setDaemon(true);
    Server server = new Server(pool);
    server.setStopTimeout(limits.stopTimeout().toMillis());
    return server;
  }

  /** Adds the configured connectors to {@code server}; the socket binds at {@code staged}. */
  void attach(
      Server server,
      Path staged,
      Limits limits,
      Set<Integer> allowed,
      Metrics metrics,
      AuditThrottle throttle,
      Supplier<RequestDeadline> deadline) {
    HttpConfiguration hc = new HttpConfiguration();
    hc.setRequestHeaderSize(limits.headerSize());
    hc.setSendServerVersion(false);
    hc.setSendXPoweredBy(false);
    // Without a Host header (HTTP/1.0) Jetty would take the socket's path as the authority,
    // refuse it as malformed (400) and warn; the socket has no host name to offer anyway.
    hc.setServerAuthority(new HostPort("localhost"));
    HttpConnectionFactory factory = new HttpConnectionFactory(hc);
    if (socket != null) {
      ConnectionGate gate =
          new ConnectionGate(
              "socket",
              limits.maxConnections(),
              limits.maxConnectionsPerUid(),
              allowed,
              true,
              metrics,
              throttle);
      gates.add(gate);
      uds =
          GatedConnectors.unix(server, factory, staged, gate, deadline.get(), limits.idleTimeout());
    }
    if (http != null) {
      ConnectionGate gate =
          new ConnectionGate(
              "http",
              Math.min(SocketServer.HTTP_MAX_CONNECTIONS, limits.maxConnections()),
              Integer.MAX_VALUE,
              Set.of(),
              false,
              metrics,
              throttle);
      gates.add(gate);
      tcp =
          GatedConnectors.tcp(
              server, factory, http.address(), gate, deadline.get(), limits.idleTimeout());
    }
  }

  /** Closes, on {@code timer}, connections the gates refused once they have lingered enough. */
  void closeLingeringOn(ScheduledExecutorService timer) {
    long linger = ConnectionGate.LINGER.toMillis() / 2;
    for (ConnectionGate g : gates) {
      timer.scheduleWithFixedDelay(g::closeLingering, linger, linger, TimeUnit.MILLISECONDS);
    }
  }

  void closeAllLingering() {
    gates.forEach(ConnectionGate::closeAllLingering);
  }

  /** The first listener whose channel is closed, named for a log line; null while both are open. */
  String closed() {
    if (uds != null && !(uds.getTransport() instanceof Channel c && c.isOpen())) {
      return "the socket listener " + socket.path();
    }
    if (tcp != null && !tcp.isOpen()) {
      return "the TCP listener " + http.address().getHostString() + ":" + tcp.getLocalPort();
    }
    return null;
  }

  int httpPort() {
    return tcp == null ? -1 : tcp.getLocalPort();
  }

  Channel channel(boolean unix) {
    Object t =
        unix
            ? (uds == null ? null : uds.getTransport())
            : (tcp == null ? null : tcp.getTransport());
    return t instanceof Channel c ? c : null;
  }

  String describe() {
    StringBuilder b = new StringBuilder();
    if (socket != null) {
      b.append("socket ").append(socket.path()).append(" (").append(Modes.octal(socket.mode()));
      if (socket.allowUids() != null && !socket.allowUids().isEmpty()) {
        b.append(", allow-uids ").append(socket.allowUids());
      }
      b.append(')');
    }
    if (http != null) {
      b.append(b.length() > 0 ? ", " : "").append("http ").append(http.address());
      b.append(" (health, metrics)");
    }
    return b.toString();
  }
}
