package io.baoinjector.sidecar.output.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.SelectorManager;
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
    c.setIdleTimeout(idleTimeout.toMillis());
    c.setAcceptQueueSize(128);
    c.addEventListener(deadline);
    c.gate(gate);
    server.addConnector(c);
    return c;
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
    c.setIdleTimeout(idleTimeout.toMillis());
    c.addEventListener(deadline);
    c.gate(gate);
    server.addConnector(c);
    return c;
  }

  static final class Unix extends UnixDomainServerConnector {
    private volatile ConnectionGate gate;

    Unix(Server server, ConnectionFactory factory) {
      super(server, 0, 1, factory);
    }

    void gate(ConnectionGate g) {
      gate = g;
      addEventListener(g);
      getBean(SelectorManager.class).addEventListener(g);
    }

    @Override
    protected SelectorManager newSelectorManager(
        Executor executor, Scheduler scheduler, int selectors) {
      return new UnixDomainSelectorManager(executor, scheduler, selectors) {
        @Override
        protected void accepted(SelectableChannel channel) throws IOException {
          ConnectionGate g = gate;
          if (g == null || g.admit(channel)) {
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

    void gate(ConnectionGate g) {
      gate = g;
      addEventListener(g);
      getSelectorManager().addEventListener(g);
    }

    @Override
    protected SelectorManager newSelectorManager(
        Executor executor, Scheduler scheduler, int selectors) {
      return new ServerConnectorManager(executor, scheduler, selectors) {
        @Override
        protected void accepted(SelectableChannel channel) throws IOException {
          ConnectionGate g = gate;
          if (g == null || g.admit(channel)) {
            super.accepted(channel);
          }
        }
      };
    }
  }
}
