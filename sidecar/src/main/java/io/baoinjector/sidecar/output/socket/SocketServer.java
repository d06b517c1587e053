package io.baoinjector.sidecar.output.socket;

import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.metrics.Metrics;
import io.baoinjector.sidecar.output.Output;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.sidecar.util.Daemons;
import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket API (Jetty 12 on the JDK's Unix-domain sockets) and the optional TCP probe listener.
 *
 * <p>Bounded against hostile local clients: request headers at most {@link Limits#headerSize} (431
 * beyond), no request bodies, a {@link ConnectionGate} per listener (a uid outside {@code
 * allow-uids} is closed at accept; at most {@link Limits#maxConnections} connections on the socket,
 * {@link Limits#maxConnectionsPerUid} per uid, {@link #HTTP_MAX_CONNECTIONS} on the TCP listener;
 * beyond, new connections are closed at once), a small fixed thread pool that no connection can
 * hold (non-blocking handler, parked long-polls hold no thread), an idle timeout, and a request
 * deadline: a connection that neither completes a request nor has one in flight within {@link
 * Limits#requestTimeout} is closed, which cuts a slowloris client that keeps the idle timer alive
 * by dribbling header bytes.
 *
 * <p>A listener found closed while the server should run is reported to {@code onListenerLost} (the
 * sidecar exits 1): a half-alive process whose probe port is gone only waits to be killed.
 */
public final class SocketServer implements Output {
  private static final Logger log = LoggerFactory.getLogger(SocketServer.class);

  /** Connections at once on the TCP listener: probes and a scraper need a handful. */
  static final int HTTP_MAX_CONNECTIONS = 64;

  static final Duration LISTENER_CHECK = Duration.ofSeconds(1);

  /** Resource limits; {@link #DEFAULTS} suits a sidecar serving one application. */
  public record Limits(
      int maxConnections,
      int maxConnectionsPerUid,
      int maxThreads,
      int headerSize,
      Duration idleTimeout,
      Duration requestTimeout,
      Duration maxWait,
      Duration stopTimeout) {
    public static final Limits DEFAULTS =
        new Limits(
            1024,
            256,
            16,
            8192,
            Duration.ofSeconds(30),
            Duration.ofSeconds(10),
            Duration.ofMinutes(5),
            Duration.ofSeconds(5));
  }

  private final OutputSettings.Socket socket;
  private final OutputSettings.Http http;
  private final SnapshotHub hub;
  private final Metrics metrics;
  private final BooleanSupplier filesReady;
  private final Limits limits;
  private final Consumer<String> onListenerLost;
  private AuditThrottle throttle = new AuditThrottle();
  private final Set<Connection> inFlight = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService timer;
  private LongPolls polls;
  private SocketFile socketFile;
  private Server server;
  private final Listeners listeners;
  private volatile boolean started;
  private volatile boolean lost;
  private RefreshTrigger refresh = RefreshTrigger.NONE;

  /**
   * @param socket the Unix-socket API, or null for none
   * @param http the TCP listener for health and metrics, or null for none
   * @param filesReady true once every file output has rendered (part of {@code /v1/health})
   */
  public SocketServer(
      OutputSettings.Socket socket,
      OutputSettings.Http http,
      SnapshotHub hub,
      Metrics metrics,
      BooleanSupplier filesReady) {
    this(socket, http, hub, metrics, filesReady, Limits.DEFAULTS);
  }

  public SocketServer(
      OutputSettings.Socket socket,
      OutputSettings.Http http,
      SnapshotHub hub,
      Metrics metrics,
      BooleanSupplier filesReady,
      Limits limits) {
    this(
        socket,
        http,
        hub,
        metrics,
        filesReady,
        limits,
        why -> log.error("{} (the process should exit)", why));
  }

  /**
   * @param onListenerLost called once, with one line, when a listener is found closed while the
   *     server runs; the sidecar exits 1 from it
   */
  public SocketServer(
      OutputSettings.Socket socket,
      OutputSettings.Http http,
      SnapshotHub hub,
      Metrics metrics,
      BooleanSupplier filesReady,
      Limits limits,
      Consumer<String> onListenerLost) {
    if (socket == null && http == null) {
      throw new IllegalArgumentException("neither outputs.socket nor outputs.http is configured");
    }
    this.socket = socket;
    this.http = http;
    this.hub = Objects.requireNonNull(hub, "hub == null");
    this.metrics = Objects.requireNonNull(metrics, "metrics == null");
    this.filesReady = Objects.requireNonNull(filesReady, "filesReady == null");
    this.limits = Objects.requireNonNull(limits, "limits == null");
    this.onListenerLost = Objects.requireNonNull(onListenerLost, "onListenerLost == null");
    this.listeners = new Listeners(socket, http);
  }

  /**
   * Binds the socket (see {@link SocketFile} for how it never has a looser mode than configured)
   * and the TCP listener. Throws with one line naming the config key on a bad destination or an
   * unknown user in {@code allow-uids}.
   */
  @Override
  public synchronized void start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    Set<Integer> allowed =
        socket == null ? Set.of() : PeerCredentials.resolveAllowed(socket.allowUids());
    timer = Executors.newSingleThreadScheduledExecutor(Daemons.named("bao-injector-api-timer"));
    polls = new LongPolls(hub, timer);
    hub.addListener(polls);

    server = Listeners.newServer(limits);
    Path staged = null;
    if (socket != null) {
      socketFile = new SocketFile(socket.path(), socket.mode(), socket.uid(), socket.gid());
      staged = socketFile.prepare();
    }
    listeners.attach(server, staged, limits, allowed, metrics, throttle, this::deadline);
    server.setErrorHandler(new JsonErrorHandler());
    server.setHandler(
        new GracefulHandler(
            new ApiHandler(
                hub,
                metrics,
                filesReady,
                allowed,
                polls,
                limits,
                inFlight,
                throttle,
                new RefreshEndpoint(hub, metrics, polls, limits.idleTimeout(), refresh))));
    try {
      server.start();
    } catch (Exception e) {
      stop();
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String where =
          root instanceof java.net.BindException && http != null
              ? "outputs.http.address: cannot listen on " + http.address()
              : "outputs: cannot listen";
      throw new IOException(where + ": " + root.getMessage(), e);
    }
    if (socketFile != null) {
      try {
        socketFile.publish(staged);
      } catch (IOException e) {
        stop();
        throw e;
      }
    }
    started = true;
    listeners.closeLingeringOn(timer);
    timer.scheduleWithFixedDelay(
        this::checkListeners,
        LISTENER_CHECK.toMillis(),
        LISTENER_CHECK.toMillis(),
        TimeUnit.MILLISECONDS);
    log.info("{}", describe());
  }

  private RequestDeadline deadline() {
    return new RequestDeadline(timer, inFlight, limits.requestTimeout());
  }

  /** Reports, once, a listener whose channel closed under a server that should be running. */
  void checkListeners() {
    if (!started || lost) {
      return;
    }
    String dead = listeners.closed();
    if (dead != null && started) {
      lost = true;
      onListenerLost.accept(dead + " closed unexpectedly; exiting so that it is restarted");
    }
  }

  /**
   * Answers parked long-polls, stops accepting, lets in-flight requests finish, removes the socket.
   */
  @Override
  public synchronized void stop() {
    started = false;
    if (polls != null) {
      polls.releaseAll();
    }
    if (server != null) {
      try {
        server.stop();
      } catch (Exception e) {
        log.warn("socket API did not stop cleanly: {}", e.toString());
      }
    }
    if (socketFile != null) {
      socketFile.remove();
    }
    if (timer != null) {
      timer.shutdownNow();
    }
    listeners.closeAllLingering();
  }

  @Override
  public boolean ready() {
    return started;
  }

  @Override
  public String describe() {
    return listeners.describe();
  }

  /** What {@code POST /v1/refresh} runs (default: {@link RefreshTrigger#NONE}); before start. */
  public synchronized void refreshWith(RefreshTrigger trigger) {
    refresh = Objects.requireNonNull(trigger, "trigger == null");
  }

  /** How often a repeated denial line is written (tests); before {@link #start}. */
  synchronized void auditEvery(Duration every) {
    throttle = new AuditThrottle(every, System::nanoTime);
  }

  /** The TCP listener's bound port (useful with port 0), or -1. */
  public int httpPort() {
    return listeners.httpPort();
  }

  /** The listening channel of the socket ({@code unix}) or the TCP listener, or null (tests). */
  Channel listenerChannel(boolean unix) {
    return listeners.channel(unix);
  }

  /** Parked long-polls right now (tests, metrics). */
  int parkedLongPolls() {
    return polls == null ? 0 : polls.size();
  }
}
