package io.baoinjector.sidecar.output.socket;

import io.baoinjector.sidecar.metrics.Metrics;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /v1/refresh[?wait=10s]}: asks the {@link RefreshTrigger} for a round and answers 200
 * {@code {"revision":N}} once it is published, or 503 with the revision still served when the round
 * could not reach OpenBao or did not end within {@code wait} (default {@link #DEFAULT_WAIT}, at
 * most {@link #MAX_WAIT}). The request is parked in {@link LongPolls} meanwhile, so it holds no
 * thread: a hung OpenBao parks callers, not the API.
 */
final class RefreshEndpoint {
  static final String PATH = "/v1/refresh";
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
  static final Duration MAX_WAIT = Duration.ofSeconds(60);

  /** ApiHandler's writer: status, headers, the request counter. */
  interface Sender {
    boolean send(Response response, Callback done, String route, int status, byte[] body);
  }

  private final SnapshotHub hub;
  private final Metrics metrics;
  private final LongPolls polls;
  private final Duration idleTimeout;
  private final RefreshTrigger trigger;

  RefreshEndpoint(
      SnapshotHub hub,
      Metrics metrics,
      LongPolls polls,
      Duration idleTimeout,
      RefreshTrigger trigger) {
    this.hub = hub;
    this.metrics = metrics;
    this.polls = polls;
    this.idleTimeout = idleTimeout;
    this.trigger = trigger;
  }

  boolean handle(
      Request request, Response response, Callback done, PeerCredentials peer, Sender send) {
    Duration wait;
    try {
      String text = Request.extractQueryParameters(request).getValue("wait");
      wait = text == null || text.isEmpty() ? DEFAULT_WAIT : WaitParam.parse(text, MAX_WAIT);
    } catch (IllegalArgumentException e) {
      return send.send(response, done, PATH, 400, JsonBody.error(400, e.getMessage()));
    }
    CompletableFuture<Snapshot> round = trigger.refreshNow();
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    // The connection is quiet while parked: stretch its idle timeout past the wait, restore after.
    endPoint.setIdleTimeout(wait.toMillis() + idleTimeout.toMillis());
    Duration waited = wait;
    LongPolls.Waiter w =
        polls.park(
            s -> false,
            wait,
            s -> {
              endPoint.setIdleTimeout(idleTimeout.toMillis());
              answer(round, waited, peer, response, done, send);
            });
    round.whenComplete((s, e) -> w.wake());
    request.addFailureListener(t -> w.cancel());
    return true;
  }

  private void answer(
      CompletableFuture<Snapshot> round,
      Duration wait,
      PeerCredentials peer,
      Response response,
      Callback done,
      Sender send) {
    Map<String, Object> body = new LinkedHashMap<>();
    String outcome;
    int status = 503;
    if (!round.isDone()) {
      outcome = "timeout";
      body.put(
          "error",
          "the refresh did not finish within "
              + wait.toMillis()
              + " ms (OpenBao slow or unreachable); the values served are unchanged");
    } else if (round.isCompletedExceptionally()) {
      outcome = "failed";
      body.put("error", "the refresh could not reach OpenBao: " + cause(round));
    } else {
      outcome = "ok";
      status = 200;
    }
    if (status != 200) {
      body.put("status", status);
    }
    long revision = status == 200 ? round.join().revision() : hub.current().revision();
    body.put("revision", revision);
    metrics.refreshRequest(outcome);
    PeerCredentials p = peer == null ? PeerCredentials.UNKNOWN : peer;
    ApiHandler.AUDIT.info(
        "refresh peer={} uid={} gid={} pid=unavailable endpoint={} revision={} outcome={}",
        p.user(),
        p.uid(),
        p.group(),
        PATH,
        revision,
        outcome);
    send.send(response, done, PATH, status, JsonBody.bytes(body));
  }

  private static String cause(CompletableFuture<Snapshot> round) {
    try {
      round.join();
      return "";
    } catch (CompletionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
  }
}
