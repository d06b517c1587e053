package io.baoinjector.sidecar.output.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Jetty's two connectors with a {@link ConnectionGate} in front of their selector: a refused
 * connection is answered and closed by the gate and never reaches Jetty (no endpoint, no
 * connection, no HTTP parsing), which an accept listener alone cannot do.
 */
final class GatedConnectors {
  private GatedConnectors() {}

  /** The socket's connector, bound to {@code path} (the staging path) when the server starts. */
  static Unix unix(
      Server server,
      ConnectionFactory factory,
      Path path,
      ConnectionGate gate,
      RequestDeadline deadline,
      Duration idleTimeout) {
    Unix c = new Unix(server, factory);
    c.setUnixDomainPath(path);
    c.setAcceptQueueSize(128);
    c.gate = gate;
    return install(server, c, gate, deadline, idleTimeout);
  }

  /** The TCP listener's connector. */
  static Tcp tcp(
      Server server,
      ConnectionFactory factory,
      InetSocketAddress address,
      ConnectionGate gate,
      RequestDeadline deadline,
      Duration idleTimeout) {
    Tcp c = new Tcp(server, factory);
    c.setHost(address.getHostString());
    c.setPort(address.getPort());
    c.gate = gate;
    return install(server, c, gate, deadline, idleTimeout);
  }

  private static <C extends AbstractConnector> C install(
      Server server, C c, ConnectionGate gate, RequestDeadline deadline, Duration idleTimeout) {
    c.setIdleTimeout(idleTimeout.toMillis());
    c.addEventListener(deadline);
    c.addEventListener(gate);
    c.getBean(SelectorManager.class).addEventListener(gate);
    server.addConnector(c);
    return c;
  }

  /** Null until installed: Jetty makes the selector manager in the connector's constructor. */
  private static boolean admits(ConnectionGate gate, SelectableChannel channel) {
    return gate == null || gate.admit(channel);
  }

  static final class Unix extends UnixDomainServerConnector {
    private volatile ConnectionGate gate;

    Unix(Server server, ConnectionFactory factory) {
      super(server, 0, 1, factory);
    }

    @Override
    protected SelectorManager newSelectorManager(
        Executor executor, Scheduler scheduler, int selectors) {
      return new UnixDomainSelectorManager(executor, scheduler, selectors) {
        @Override
        protected void accepted(SelectableChannel channel) throws IOException {
          if (admits(gate, channel)) {
            super.accepted(channel);
          }
        }
      };
    }
  }

  static final class Tcp extends ServerConnector {
    private volatile ConnectionGate gate;

    Tcp(Server server, ConnectionFactory factory) {
      super(server, 0, 1, factory);
    }

    @Override
    protected SelectorManager newSelectorManager(
        Executor executor, Scheduler scheduler, int selectors) {
      return new ServerConnectorManager(executor, scheduler, selectors) {
        @Override
        protected void accepted(SelectableChannel channel) throws IOException {
          if (admits(gate, channel)) {
            super.accepted(channel);
          }
        }
      };
    }
  }
}
