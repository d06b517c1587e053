package io.baoinjector.agent.it;

import io.baoinjector.shared.wire.EnvDocument;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.metrics.Metrics;
import io.baoinjector.sidecar.output.socket.SocketServer;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sidecar's real socket API ({@link SocketServer} over a {@link SnapshotHub}) in the test's
 * JVM, with the test publishing what a refresh round would. The agent connects through a {@link
 * FaultRelay} at {@link #socket}, which records its requests and injects the faults a real sidecar
 * never produces. Tests against a whole sidecar process and OpenBao are in RealSidecarIT.
 */
final class InProcessSidecar implements AutoCloseable {
  final Path socket;
  final String instance;
  final FaultRelay relay;
  private final SnapshotHub hub = new SnapshotHub();
  private final SocketServer server;
  private Map<String, String> properties = Map.of();

  private InProcessSidecar(Path socket) throws IOException {
    this.socket = socket;
    this.instance = hub.instanceId();
    Path real = socket.resolveSibling(socket.getFileName() + ".sidecar");
    server =
        new SocketServer(
            new OutputSettings.Socket(real, 0600, List.of(), null, null),
            null,
            hub,
            new Metrics(),
            () -> true);
    server.start();
    relay = new FaultRelay(socket, real);
  }

  /** Not ready (revision 0, nothing resolved) until {@link #set} or {@link #starting}. */
  static InProcessSidecar start(Path socket) throws IOException {
    return new InProcessSidecar(socket);
  }

  /** A round that resolved every name: ready, a new revision when anything changed. */
  InProcessSidecar set(Map<String, String> values, Map<String, String> properties) {
    this.properties = properties;
    hub.publish(entries(values), entries(properties), Set.of(), false, true);
    return this;
  }

  /** As {@link #set(Map, Map)}, keeping the properties. */
  InProcessSidecar set(Map<String, String> values) {
    return set(values, properties);
  }

  /**
   * Starting, as after a restart while OpenBao is down: nothing resolved, {@code names} unresolved;
   * {@code /v1/env} answers 503 (a waiting long-poll too, as the revision moves on).
   */
  InProcessSidecar starting(List<String> names) {
    hub.publish(Map.of(), Map.of(), new LinkedHashSet<>(names), false, false);
    return this;
  }

  /** Publishes distinct rounds until the revision is {@code revision}. */
  InProcessSidecar advanceTo(long revision) {
    for (long r = hub.current().revision(); r < revision; r++) {
      set(Map.of("FILLER", String.valueOf(r)), Map.of());
    }
    return this;
  }

  /** The body of sidecars before the 503: 200 with revision 0 and nothing in it. */
  InProcessSidecar answerLikeAnOldSidecarBeforeItsFirstRound() {
    relay.answer(new EnvDocument(instance, 0, Map.of(), Map.of()).encode());
    return this;
  }

  /** See {@link FaultRelay#hang}. */
  InProcessSidecar hang(int n) {
    relay.hang(n);
    return this;
  }

  /** See {@link FaultRelay#breakLongPolls}. */
  InProcessSidecar breakLongPolls() {
    relay.breakLongPolls();
    return this;
  }

  List<String> requests() {
    return relay.requests();
  }

  int countWithin(String prefix, long nanos) throws InterruptedException {
    return relay.countWithin(prefix, nanos);
  }

  /** The relay first: the agent sees its connections end, as when a sidecar process dies. */
  @Override
  public void close() throws IOException {
    relay.close();
    server.stop();
  }

  private static Map<String, Snapshot.Entry> entries(Map<String, String> values) {
    Map<String, Snapshot.Entry> m = new LinkedHashMap<>();
    Instant now = Instant.now();
    values.forEach(
        (k, v) -> m.put(k, new Snapshot.Entry(SecretValue.of(v), null, "secret/test#" + k, now)));
    return m;
  }
}
