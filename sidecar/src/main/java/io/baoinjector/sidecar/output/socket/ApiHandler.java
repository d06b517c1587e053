package io.baoinjector.sidecar.output.socket;

import io.baoinjector.shared.wire.EnvDocument;
import io.baoinjector.sidecar.metrics.Metrics;
import io.baoinjector.sidecar.snapshot.LeaseStatus;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API routes. On the Unix socket: every endpoint, behind the peer check. On the TCP listener:
 * only {@code /v1/health} and {@code /metrics}, so a probe port can never hand out a secret.
 *
 * <p>Non-blocking: every answer is written asynchronously and a long-poll parks its callback in
 * {@link LongPolls}, so a waiting client holds no thread.
 */
final class ApiHandler extends Handler.Abstract.NonBlocking {
  static final Logger AUDIT = LoggerFactory.getLogger("io.baoinjector.audit");
  static final String HEALTH = "/v1/health";
  static final String ENV = "/v1/env";
  static final String SECRETS = "/v1/secrets/";
  static final String METRICS = "/metrics";

  private final SnapshotHub hub;
  private final Metrics metrics;
  private final BooleanSupplier filesReady;
  private final Set<Integer> allowedUids;
  private final LongPolls polls;
  private final SocketServer.Limits limits;
  private final Set<Connection> inFlight;
  private final AuditThrottle throttle;
  private final RefreshEndpoint refresh;

  ApiHandler(
      SnapshotHub hub,
      Metrics metrics,
      BooleanSupplier filesReady,
      Set<Integer> allowedUids,
      LongPolls polls,
      SocketServer.Limits limits,
      Set<Connection> inFlight,
      AuditThrottle throttle,
      RefreshEndpoint refresh) {
    this.hub = hub;
    this.metrics = metrics;
    this.filesReady = filesReady;
    this.allowedUids = Set.copyOf(allowedUids);
    this.polls = polls;
    this.limits = limits;
    this.inFlight = inFlight;
    this.throttle = throttle;
    this.refresh = refresh;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Connection connection = request.getConnectionMetaData().getConnection();
    inFlight.add(connection);
    Callback done = Callback.from(callback, () -> inFlight.remove(connection));
    boolean unix =
        request.getConnectionMetaData().getConnector() instanceof UnixDomainServerConnector;
    String path = Request.getPathInContext(request);
    String route = route(path, unix);
    if (route == null) {
      return send(response, done, "unknown", 404, JsonBody.error(404, "no such endpoint: " + path));
    }
    HttpMethod allowed = RefreshEndpoint.PATH.equals(route) ? HttpMethod.POST : HttpMethod.GET;
    if (!allowed.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, allowed.asString());
      return send(
          response, done, route, 405, JsonBody.error(405, "only " + allowed + " is allowed"));
    }
    if (hasBody(request)) {
      return send(
          response, done, route, 413, JsonBody.error(413, "request bodies are not accepted"));
    }
    PeerCredentials peer = unix ? PeerCredentials.of(connection.getEndPoint()) : null;
    if (peer != null && !allowedUids.isEmpty() && !allowedUids.contains(peer.uid())) {
      // Normally closed at accept (ConnectionGate); this is the second layer.
      long suppressed = throttle.admit("denied|" + peer.uid() + "|" + route);
      if (suppressed >= 0) {
        AUDIT.warn(
            "denied peer={} uid={} gid={} pid=unavailable endpoint={} suppressed={}",
            peer.user(),
            peer.uid(),
            peer.group(),
            route,
            suppressed);
      }
      return send(response, done, route, 403, JsonBody.error(403, "peer uid is not allowed"));
    }
    switch (route) {
      case HEALTH:
        return health(HEALTH, hub.current(), response, done);
      case METRICS:
        byte[] text = metrics.scrape().getBytes(StandardCharsets.UTF_8);
        response
            .getHeaders()
            .put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        return send(response, done, route, 200, text);
      case ENV:
        return env(request, response, done, peer);
      case RefreshEndpoint.PATH:
        return refresh.handle(request, response, done, peer, this::send);
      default:
        return secret(path.substring(SECRETS.length()), response, done, peer);
    }
  }

  private static String route(String path, boolean unix) {
    if (HEALTH.equals(path) || METRICS.equals(path)) {
      return path;
    }
    if (!unix) {
      return null;
    }
    if (ENV.equals(path) || RefreshEndpoint.PATH.equals(path)) {
      return path;
    }
    if (path != null && path.startsWith(SECRETS) && path.length() > SECRETS.length()) {
      return SECRETS + "{name}";
    }
    return null;
  }

  private static boolean hasBody(Request request) {
    String cl = request.getHeaders().get(HttpHeader.CONTENT_LENGTH);
    return (cl != null && !"0".equals(cl.trim()))
        || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  /** Health's answer; also what env and secrets answer (503) while {@code s} is not ready. */
  private boolean health(String route, Snapshot s, Response response, Callback done) {
    boolean ready = s.ready() && filesReady.getAsBoolean();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", ready ? "ready" : "starting");
    body.put("instance", s.instanceId());
    body.put("revision", s.revision());
    body.put("stale", s.stale());
    body.put("unresolved", new ArrayList<>(s.unresolved()));
    List<Map<String, Object>> leases = new ArrayList<>();
    Instant now = Instant.now();
    for (LeaseStatus l : hub.leases()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", l.path());
      m.put("expires_in_s", Math.max(0, Duration.between(now, l.expiresAt()).toSeconds()));
      if (l.hardExpiry() != null) {
        m.put("max_expires_in_s", Math.max(0, Duration.between(now, l.hardExpiry()).toSeconds()));
      }
      m.put("replaced", l.replaced());
      leases.add(m);
    }
    body.put("leases", leases);
    if (!hub.backends().isEmpty()) {
      Map<String, Object> backends = new LinkedHashMap<>();
      hub.backends()
          .forEach(
              (name, b) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("stale", b.stale());
                m.put("unresolved", b.unresolved());
                backends.put(name, m);
              });
      body.put("backends", backends);
    }
    return send(response, done, route, ready ? 200 : 503, JsonBody.bytes(body));
  }

  private boolean env(Request request, Response response, Callback done, PeerCredentials peer) {
    Fields q = Request.extractQueryParameters(request);
    String afterText = q.getValue("after");
    Snapshot now = hub.current();
    if (afterText == null) {
      return sendEnv(response, done, peer, now);
    }
    long after;
    Duration wait;
    try {
      after = parseAfter(afterText);
      wait = WaitParam.parse(q.getValue("wait"), limits.maxWait());
    } catch (IllegalArgumentException e) {
      return send(response, done, ENV, 400, JsonBody.error(400, e.getMessage()));
    }
    String instance = q.getValue("instance");
    boolean otherInstance = instance != null && !instance.equals(now.instanceId());
    // Not ready: wait for ready whatever after says, so a client never spins on 503s.
    boolean waitForReady = !now.ready() && !wait.isZero();
    if (!waitForReady && (otherInstance || now.revision() != after || wait.isZero())) {
      return sendEnv(response, done, peer, now);
    }
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    // The connection is quiet while parked: stretch its idle timeout past the wait, restore after.
    endPoint.setIdleTimeout(wait.toMillis() + limits.idleTimeout().toMillis());
    LongPolls.Waiter w =
        polls.park(
            waitForReady ? Snapshot::ready : s -> s.revision() != after,
            wait,
            snapshot -> {
              endPoint.setIdleTimeout(limits.idleTimeout().toMillis());
              sendEnv(response, done, peer, snapshot);
            });
    request.addFailureListener(t -> w.cancel());
    return true;
  }

  private static long parseAfter(String text) {
    try {
      long n = Long.parseLong(text.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the one message below
    }
    throw new IllegalArgumentException("after: expected a revision number (0 or more)");
  }

  private boolean sendEnv(Response response, Callback done, PeerCredentials peer, Snapshot s) {
    if (!s.ready()) {
      return health(ENV, s, response, done);
    }
    EnvDocument body =
        new EnvDocument(s.instanceId(), s.revision(), s.revealValues(), s.revealProperties());
    List<String> names = new ArrayList<>(s.values().keySet());
    names.addAll(s.properties().keySet());
    audit(peer, ENV, names, s.revision());
    return send(response, done, ENV, 200, body.encode().getBytes(StandardCharsets.UTF_8));
  }

  private boolean secret(String name, Response response, Callback done, PeerCredentials peer) {
    String route = SECRETS + "{name}";
    Snapshot s = hub.current();
    Snapshot.Entry e = s.entry(name);
    if (e == null && !s.ready()) {
      return health(route, s, response, done); // may be a name still resolving
    }
    audit(peer, route, List.of(name), s.revision());
    if (e == null) {
      return send(response, done, route, 404, JsonBody.error(404, "unknown name: " + name));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("value", e.value().reveal());
    body.put("version", e.version());
    body.put("revision", s.revision());
    return send(response, done, route, 200, JsonBody.bytes(body));
  }

  private static void audit(PeerCredentials peer, String endpoint, List<String> names, long rev) {
    PeerCredentials p = peer == null ? PeerCredentials.UNKNOWN : peer;
    AUDIT.info(
        "read peer={} uid={} gid={} pid=unavailable endpoint={} revision={} names={}",
        p.user(),
        p.uid(),
        p.group(),
        endpoint,
        rev,
        names);
  }

  private boolean send(Response response, Callback done, String route, int status, byte[] body) {
    response.setStatus(status);
    if (!response.getHeaders().contains(HttpHeader.CONTENT_TYPE)) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    }
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    metrics.socketRequest(route, status);
    response.write(true, ByteBuffer.wrap(body), done);
    return true;
  }
}
