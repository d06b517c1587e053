package io.baoinjector.sidecar.openbao;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a call: walks the HA address list on connection failures (and past sealed nodes),
 * follows at most one redirect, and classifies the answer. Retrying is the client's job.
 */
final class Transport {
  private static final Logger log = LoggerFactory.getLogger(Transport.class);

  /**
   * 429s in a row from one address before the next address is tried. A standby or a rate-limited
   * node can answer 429 for as long as it likes; another node may serve meanwhile.
   */
  static final int TOO_MANY_REQUESTS_PER_ADDRESS = 2;

  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private final List<HttpUrl> addresses;
  private final AtomicInteger current = new AtomicInteger();
  private final AtomicIntegerArray tooManyInARow;
  private final String namespace;
  private final OkHttpClient http;
  private final RequestObserver observer;
  private final ResponseReader reader;

  Transport(
      List<HttpUrl> addresses,
      String namespace,
      OkHttpClient http,
      Clock clock,
      RequestObserver observer) {
    this.addresses = addresses;
    this.tooManyInARow = new AtomicIntegerArray(addresses.size());
    this.namespace = namespace;
    this.http = http;
    this.reader = new ResponseReader(clock);
    this.observer = observer;
  }

  /** The address that answered last (or the first configured one). */
  URI currentAddress() {
    return addresses.get(current.get()).uri();
  }

  /** One try: the address list (failover), then at most one redirect. */
  Attempt attempt(OpenBaoRequest req, byte[] body) {
    IOException lastConnectFailure = null;
    Attempt lastPassedOver = null;
    int start = current.get();
    for (int i = 0; i < addresses.size(); i++) {
      int idx = (start + i) % addresses.size();
      HttpUrl url = url(addresses.get(idx), req.path());
      long t0 = System.nanoTime();
      try (Response r = http.newCall(request(url, req, body)).execute()) {
        Attempt a;
        if (r.code() == 307) {
          observe(req, r.code(), RequestObserver.Outcome.REDIRECT, t0);
          a = followRedirect(req, body, url, r.header("Location"));
        } else {
          a = reader.read(this, req, r, t0);
        }
        boolean more = i < addresses.size() - 1;
        if (a.failure() instanceof SealedException && more) {
          // one sealed node of an HA cluster: another may serve
          lastPassedOver = a;
          log.warn("OpenBao at {} is sealed; trying the next address", addresses.get(idx));
          continue;
        }
        if (tooManyRequests(a, idx) && more) {
          lastPassedOver = a;
          log.warn(
              "OpenBao at {} answered 429 {} times in a row; trying the next address",
              addresses.get(idx),
              TOO_MANY_REQUESTS_PER_ADDRESS);
          continue;
        }
        if (idx != start) {
          current.set(idx);
          log.warn("OpenBao at {} answered; using it from now on", addresses.get(idx));
        }
        return a;
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          return unavailable(req, "interrupted", e, false);
        }
        observe(req, 0, RequestObserver.Outcome.CONNECTION_FAILURE, t0);
        if (!isConnectFailure(e)) {
          // the request may have reached the server: retry the same address after a backoff
          return unavailable(req, describe(url, e), e, true);
        }
        lastConnectFailure = e;
        if (addresses.size() > 1) {
          log.warn("cannot connect to OpenBao at {}: {}", addresses.get(idx), e.getMessage());
        }
      }
    }
    if (lastPassedOver != null) {
      return lastPassedOver;
    }
    String detail =
        addresses.size() == 1
            ? describe(addresses.get(0), lastConnectFailure)
            : "cannot connect to any of "
                + addresses.size()
                + " addresses, last: "
                + describe(
                    addresses.get((start + addresses.size() - 1) % addresses.size()),
                    lastConnectFailure);
    return unavailable(req, detail, lastConnectFailure, true);
  }

  /**
   * Counts 429s in a row per address; true when this one reached the limit (the count starts over,
   * so the address gets its full share again when the walk comes back to it).
   */
  private boolean tooManyRequests(Attempt a, int idx) {
    if (a.failure() == null || a.failure().status() != 429) {
      tooManyInARow.set(idx, 0);
      return false;
    }
    if (tooManyInARow.incrementAndGet(idx) < TOO_MANY_REQUESTS_PER_ADDRESS) {
      return false;
    }
    tooManyInARow.set(idx, 0);
    return true;
  }

  private Attempt followRedirect(OpenBaoRequest req, byte[] body, HttpUrl from, String location) {
    HttpUrl to = location == null ? null : from.resolve(location);
    if (to == null) {
      return Attempt.fail(
          new BadResponseException(
              req.method(), req.pathLabel(), 307, "redirect without a valid Location"),
          false,
          null);
    }
    if (from.isHttps() && !to.isHttps()) {
      return refused(
          req, "refusing redirect from https to http (" + to.host() + ":" + to.port() + ")");
    }
    long t0 = System.nanoTime();
    try (Response r = http.newCall(request(to, req, body)).execute()) {
      if (r.code() == 307) {
        observe(req, 307, RequestObserver.Outcome.ERROR, t0);
        return refused(req, "redirected more than once");
      }
      return reader.read(this, req, r, t0);
    } catch (IOException e) {
      observe(req, 0, RequestObserver.Outcome.CONNECTION_FAILURE, t0);
      return unavailable(req, "redirect: " + describe(to, e), e, true);
    }
  }

  /** No answer (status 0); {@code retryable} unless the thread was interrupted. */
  private static Attempt unavailable(
      OpenBaoRequest req, String detail, IOException cause, boolean retryable) {
    return Attempt.fail(
        new UnavailableException(req.method(), req.pathLabel(), 0, List.of(), detail, cause),
        retryable,
        null);
  }

  /** A 307 not followed: final, not retried. */
  private static Attempt refused(OpenBaoRequest req, String detail) {
    return Attempt.fail(
        new OpenBaoException(req.method(), req.pathLabel(), 307, List.of(), detail, null),
        false,
        null);
  }

  private Request request(HttpUrl url, OpenBaoRequest req, byte[] body) {
    Request.Builder b = new Request.Builder().url(url).header("X-Vault-Request", "true");
    if (req.wrapTtl() != null) {
      b.header("X-Vault-Wrap-TTL", req.wrapTtl());
    }
    if (req.token() != null) {
      b.header("X-Vault-Token", req.token().reveal());
    }
    if (!namespace.isEmpty()) {
      b.header("X-Vault-Namespace", namespace);
    }
    RequestBody rb = body == null ? null : RequestBody.create(body, JSON_TYPE);
    if (rb == null && (req.method().equals("POST") || req.method().equals("PUT"))) {
      rb = RequestBody.create(new byte[0], JSON_TYPE);
    }
    return b.method(req.method(), rb).build();
  }

  private static HttpUrl url(HttpUrl base, String path) {
    int q = path.indexOf('?');
    String p = q < 0 ? path : path.substring(0, q);
    HttpUrl.Builder b = base.newBuilder().addPathSegment("v1").addPathSegments(p);
    if (q >= 0) {
      b.encodedQuery(path.substring(q + 1));
    }
    return b.build();
  }

  private String describe(HttpUrl url, IOException e) {
    String what;
    if (e == null) {
      what = "unknown";
    } else if (e instanceof InterruptedIOException && "timeout".equals(e.getMessage())) {
      // OkHttp's call timeout: say which limit ended the attempt
      what = "no complete answer within the " + http.callTimeoutMillis() + " ms call timeout";
    } else {
      what = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    return url.scheme() + "://" + url.host() + ":" + url.port() + ": " + what;
  }

  void observe(OpenBaoRequest req, int status, RequestObserver.Outcome outcome, long t0) {
    try {
      observer.onRequest(
          new RequestObserver.Event(
              req.method(),
              req.pathLabel(),
              status,
              outcome,
              Duration.ofNanos(System.nanoTime() - t0)));
    } catch (RuntimeException e) {
      log.debug("request observer failed", e);
    }
  }

  /**
   * Tells "never reached this address" (safe to try the next HA address at once) from "reached it,
   * then failed" (the request may have been processed; back off and retry).
   */
  private static boolean isConnectFailure(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException) {
        return true;
      }
      if (t instanceof SocketTimeoutException
          && t.getMessage() != null
          && t.getMessage().toLowerCase(Locale.ROOT).contains("connect")) {
        return true;
      }
    }
    return false;
  }
}
