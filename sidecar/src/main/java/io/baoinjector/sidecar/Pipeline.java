package io.baoinjector.sidecar;

import io.baoinjector.sidecar.auth.AuthMethod;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.Backends;
import io.baoinjector.sidecar.cache.LastKnownGood;
import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.metrics.Metrics;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.output.Output;
import io.baoinjector.sidecar.output.file.FileOutput;
import io.baoinjector.sidecar.output.socket.SocketServer;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.sidecar.source.Refresher;
import io.baoinjector.sidecar.token.TokenManager;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that builds the pipeline: {@code config → client → auth → token lifecycle → secret
 * sources → snapshot → outputs}. No component constructs another; they meet here through small
 * interfaces (observers for metrics, {@link io.baoinjector.sidecar.token.TokenProvider} between
 * sources and tokens, {@link io.baoinjector.sidecar.snapshot.SnapshotListener} between the snapshot
 * and the outputs).
 *
 * <p>{@link Sidecar} starts the parts a command needs, in order: {@code env} and {@code check
 * --online} never start an output, {@code render} writes the files once, {@code run} starts
 * everything.
 */
final class Pipeline implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  /** How long a hung first login or round may keep cached values from being served. */
  static final java.time.Duration CACHE_GRACE = java.time.Duration.ofSeconds(5);

  private final SidecarConfig config;
  private final Metrics metrics;
  // the parts Sidecar and RunSummary ask: built here once, never replaced
  final OpenBaoClient client;
  final AuthMethod auth;
  final TokenManager tokens;
  final SnapshotHub hub;
  final Refresher refresher;
  final Backends backends;
  private final List<FileOutput> files = new ArrayList<>();
  private SocketServer server;
  private LastKnownGood cache;

  Pipeline(SidecarConfig config) {
    this.config = Objects.requireNonNull(config, "config == null");
    this.metrics = Metrics.create();
    this.client =
        OpenBaoClient.builder(config.openbao())
            .observer(
                e ->
                    metrics.openbaoRequest(
                        e.method(),
                        e.outcome().name().toLowerCase(java.util.Locale.ROOT),
                        e.duration().toNanos() / 1e9))
            .build();
    this.auth = AuthMethod.create(config.auth());
    String method = config.auth().method().configName();
    this.tokens =
        TokenManager.builder(client, auth)
            .observer(MetricsObservers.tokens(metrics, method))
            .build();
    this.hub = new SnapshotHub();
    try {
      this.backends = Backends.open(config);
    } catch (BackendException e) {
      throw Backends.configError(config, e);
    }
    metrics.snapshotSource(hub::current);
    metrics.leaseSource(hub::leases);
    metrics.backends().source(hub::backends);
    this.refresher =
        new Refresher(
            config,
            client,
            tokens,
            hub,
            Clock.systemUTC(),
            MetricsObservers.refresh(metrics),
            backends);
  }

  /**
   * Starts the first login and waits for its outcome.
   *
   * @throws io.baoinjector.sidecar.auth.AuthException for a configuration problem
   * @throws io.baoinjector.sidecar.openbao.OpenBaoException when OpenBao refused or is unreachable
   */
  void login() {
    tokens.start();
    tokens.currentToken();
  }

  /** Reads every mapped secret once and publishes the snapshot. */
  Snapshot load() {
    return refresher.loadAll();
  }

  /**
   * Creates and test-writes every file output; with {@code listen} each re-renders on every new
   * snapshot (run), else the caller renders once (render). Throws with one line naming {@code
   * outputs.files[N]} on a bad destination.
   */
  List<FileOutput> startFiles(boolean listen) throws IOException {
    List<OutputSettings.FileSpec> specs = config.outputs().files();
    for (int i = 0; i < specs.size(); i++) {
      FileOutput f = new FileOutput(i, specs.get(i), metrics);
      f.start();
      files.add(f);
      if (listen) {
        hub.addListener(f);
      }
    }
    return List.copyOf(files);
  }

  /**
   * With {@code cache:}: checks it, serves its values stale at once when it loads (before any
   * login, so a restart while OpenBao is down does not block the application), and writes every new
   * revision to it. Throws with one line naming {@code cache.path} or {@code cache.key-file}.
   */
  void startCache() throws IOException {
    if (config.cache() == null) {
      return;
    }
    cache = LastKnownGood.open(config.cache(), config, hub, Clock.systemUTC());
    cache
        .load()
        .ifPresent(
            c -> {
              refresher.offerCached(c);
              CompletableFuture.delayedExecutor(CACHE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                  .execute(refresher::serveCachedNow);
            });
    hub.addListener(cache);
  }

  /** True once every file output has rendered the values at least once. */
  boolean filesReady() {
    return files.stream().allMatch(Output::ready);
  }

  /** Binds the socket API and the health listener, when configured; null when neither is. */
  SocketServer startServer() throws IOException {
    if (config.outputs().socket() == null && config.outputs().http() == null) {
      return null;
    }
    server =
        new SocketServer(
            config.outputs().socket(),
            config.outputs().http(),
            hub,
            metrics,
            this::filesReady,
            SocketServer.Limits.DEFAULTS,
            Pipeline::listenerLost);
    server.refreshWith(refresher::refreshNow);
    server.start();
    return server;
  }

  /** A listener closed under us: exit 1 with one line, so the pod restarts instead of limping. */
  private static void listenerLost(String why) {
    System.err.println("bao-injector: " + why);
    System.err.flush();
    System.exit(1);
  }

  /** Starts the background refresh rounds. */
  void keepCurrent() {
    refresher.start();
  }

  /** SIGHUP to {@code run}: the round {@code POST /v1/refresh} asks for; logged and counted. */
  void refreshOnSignal() {
    log.info("SIGHUP: re-reading every KV path now");
    refresher
        .refreshNow()
        .whenComplete(
            (snap, e) -> {
              metrics.refreshRequest(e == null ? "ok" : "failed");
              if (e == null) {
                log.info("refresh done (SIGHUP): revision {}", snap.revision());
              } else {
                Throwable c =
                    e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                log.warn("refresh (SIGHUP) could not reach OpenBao: {}", c.getMessage());
              }
            });
  }

  /** The outputs started so far, for the summary. */
  List<Output> outputs() {
    List<Output> out = new ArrayList<>();
    if (server != null) {
      out.add(server);
    }
    out.addAll(files);
    return out;
  }

  /**
   * Stops accepting, finishes in-flight requests, stops refreshing; revokes the token only when
   * {@code revoke} (the {@code run} command with {@code revoke-on-exit: true}).
   */
  void shutdown(boolean revoke) {
    if (server != null) {
      server.stop();
    }
    refresher.close();
    backends.close();
    if (cache != null) {
      cache.close();
    }
    files.forEach(FileOutput::stop);
    if (revoke) {
      tokens.revoke();
    } else {
      tokens.close();
    }
  }

  @Override
  public void close() {
    shutdown(false);
  }
}
