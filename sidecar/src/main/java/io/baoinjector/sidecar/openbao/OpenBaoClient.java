package io.baoinjector.sidecar.openbao;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.config.OpenBaoSettings;
import io.baoinjector.sidecar.util.Backoff;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP client for OpenBao's API. Thread-safe; share one instance.
 *
 * <p>Every call sends {@code X-Vault-Request: true}, the token given for that call (if any) and
 * {@code X-Vault-Namespace} when configured. With several addresses (HA), a connection failure (or
 * a sealed node) moves on to the next address and the one that answered is remembered for later
 * calls. 5xx (but not 501) and 429 are retried with a fresh {@link Backoff} per call, never sooner
 * than the server's {@code Retry-After}, up to {@code maxAttempts}; then the call throws. A 307
 * from a standby is followed once, and never from https to http (OkHttp's own redirect handling is
 * off, as it would follow any number and carry the token anywhere).
 *
 * <p>Errors are typed ({@link PermissionDeniedException}, {@link NotFoundException}, {@link
 * UnavailableException}, {@link SealedException}, {@link BadResponseException}) and their messages
 * never contain tokens or body values other than OpenBao's {@code errors} strings.
 */
public final class OpenBaoClient {
  private static final Logger log = LoggerFactory.getLogger(OpenBaoClient.class);
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  static final ObjectMapper JSON = new ObjectMapper();

  private final List<HttpUrl> addresses;
  private final AtomicInteger current = new AtomicInteger();
  private final String namespace;
  private final OkHttpClient http;
  private final int maxAttempts;
  private final Supplier<Backoff> backoff;
  private final Sleeper sleeper;
  private final Clock clock;
  private final Duration retryAfterCap;
  private final RequestObserver observer;
  private final ResponseReader reader = new ResponseReader();

  public OpenBaoClient(OpenBaoSettings settings) {
    this(builder(settings));
  }

  private OpenBaoClient(Builder b) {
    Objects.requireNonNull(b.settings.addresses(), "openbao.addresses == null");
    if (b.settings.addresses().isEmpty()) {
      throw new IllegalArgumentException("openbao.address: at least one address is required");
    }
    this.addresses = b.settings.addresses().stream().map(u -> HttpUrl.get(u.toString())).toList();
    this.namespace = b.settings.namespace() == null ? "" : b.settings.namespace();
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.sleeper = b.sleeper;
    this.clock = b.clock;
    this.retryAfterCap = b.retryAfterCap;
    this.observer = b.observer;
    OkHttpClient.Builder ok =
        new OkHttpClient.Builder()
            .followRedirects(false)
            .followSslRedirects(false)
            .connectTimeout(b.connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(b.readTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .writeTimeout(b.readTimeout.toMillis(), TimeUnit.MILLISECONDS);
    Tls.configure(ok, b.settings.caCert(), b.settings.tlsSkipVerify());
    this.http = ok.build();
  }

  public static Builder builder(OpenBaoSettings settings) {
    return new Builder(settings);
  }

  // ---- convenience ----------------------------------------------------------------------------

  /** GET; the JSON body, or null for 204. */
  public JsonNode get(String path, SecretValue token) {
    return send(new OpenBaoRequest("GET", path, null, token)).body();
  }

  /** LIST (as {@code GET ?list=true}). */
  public JsonNode list(String path, SecretValue token) {
    return get(path + (path.contains("?") ? "&" : "?") + "list=true", token);
  }

  public JsonNode post(String path, Object body, SecretValue token) {
    return send(new OpenBaoRequest("POST", path, body, token)).body();
  }

  public JsonNode put(String path, Object body, SecretValue token) {
    return send(new OpenBaoRequest("PUT", path, body, token)).body();
  }

  public JsonNode delete(String path, SecretValue token) {
    return send(new OpenBaoRequest("DELETE", path, null, token)).body();
  }

  /** POST without a token, for {@code auth/<mount>/login} and unwrapping. */
  public JsonNode login(String path, Object body) {
    return post(path, body, null);
  }

  /**
   * {@code sys/health} as data whatever the node's state (sealed, standby and uninitialised nodes
   * answer 200 here instead of their usual 429/503/501): version, sealed, standby.
   */
  public JsonNode health() {
    return get("sys/health?standbyok=true&perfstandbyok=true&sealedcode=200&uninitcode=200", null);
  }

  /** The address that answered last (or the first configured one). */
  public URI currentAddress() {
    return addresses.get(current.get()).uri();
  }

  // ---- the call -------------------------------------------------------------------------------

  /**
   * Sends one request with retries, failover and redirect handling.
   *
   * @return the 2xx answer
   * @throws OpenBaoException (or a subclass) for every non-2xx outcome
   */
  public OpenBaoResponse send(OpenBaoRequest req) {
    Objects.requireNonNull(req, "req == null");
    byte[] body = encode(req);
    Backoff wait = backoff.get();
    for (int attempt = 1; ; attempt++) {
      Attempt a = attemptOnce(req, body);
      if (a.response != null) {
        return a.response;
      }
      if (!a.retryable || attempt >= maxAttempts || Thread.currentThread().isInterrupted()) {
        throw a.failure;
      }
      Duration delay = wait.next(a.retryAfter);
      log.info(
          "{} {} failed ({}); retry {}/{} in {} ms",
          req.method(),
          req.pathLabel(),
          a.failure.status() > 0 ? "status " + a.failure.status() : "no answer",
          attempt,
          maxAttempts - 1,
          delay.toMillis());
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnavailableException(
            req.method(), req.pathLabel(), 0, List.of(), "interrupted while retrying", e);
      }
    }
  }

  /** One try: the address list (failover), then at most one redirect. */
  private Attempt attemptOnce(OpenBaoRequest req, byte[] body) {
    IOException lastConnectFailure = null;
    Attempt lastSealed = null;
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
        if (a.failure() instanceof SealedException && i < addresses.size() - 1) {
          // one sealed node of an HA cluster: another may serve
          lastSealed = a;
          log.warn("OpenBao at {} is sealed; trying the next address", addresses.get(idx));
          continue;
        }
        if (idx != start) {
          current.set(idx);
          log.warn("OpenBao at {} answered; using it from now on", addresses.get(idx));
        }
        return a;
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          return Attempt.fail(
              new UnavailableException(
                  req.method(), req.pathLabel(), 0, List.of(), "interrupted", e),
              false,
              null);
        }
        observe(req, 0, RequestObserver.Outcome.CONNECTION_FAILURE, t0);
        if (!ConnectFailures.isConnectFailure(e)) {
          // the request may have reached the server: retry the same address after a backoff
          return Attempt.fail(
              new UnavailableException(
                  req.method(), req.pathLabel(), 0, List.of(), describe(url, e), e),
              true,
              null);
        }
        lastConnectFailure = e;
        if (addresses.size() > 1) {
          log.warn("cannot connect to OpenBao at {}: {}", addresses.get(idx), e.getMessage());
        }
      }
    }
    if (lastSealed != null) {
      return lastSealed;
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
    return Attempt.fail(
        new UnavailableException(
            req.method(), req.pathLabel(), 0, List.of(), detail, lastConnectFailure),
        true,
        null);
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
      return Attempt.fail(
          new OpenBaoException(
              req.method(),
              req.pathLabel(),
              307,
              List.of(),
              "refusing redirect from https to http (" + to.host() + ":" + to.port() + ")",
              null),
          false,
          null);
    }
    long t0 = System.nanoTime();
    try (Response r = http.newCall(request(to, req, body)).execute()) {
      if (r.code() == 307) {
        observe(req, 307, RequestObserver.Outcome.ERROR, t0);
        return Attempt.fail(
            new OpenBaoException(
                req.method(), req.pathLabel(), 307, List.of(), "redirected more than once", null),
            false,
            null);
      }
      return reader.read(this, req, r, t0);
    } catch (IOException e) {
      observe(req, 0, RequestObserver.Outcome.CONNECTION_FAILURE, t0);
      return Attempt.fail(
          new UnavailableException(
              req.method(), req.pathLabel(), 0, List.of(), "redirect: " + describe(to, e), e),
          true,
          null);
    }
  }

  private Request request(HttpUrl url, OpenBaoRequest req, byte[] body) {
    Request.Builder b = new Request.Builder().url(url).header("X-Vault-Request", "true");
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

  private static byte[] encode(OpenBaoRequest req) {
    if (req.body() == null) {
      return null;
    }
    try {
      return JSON.writeValueAsBytes(req.body());
    } catch (JsonProcessingException e) {
      // the message would quote the value; name only the type
      throw new IllegalArgumentException(
          req + ": cannot encode body of type " + req.body().getClass().getName());
    }
  }

  private static String describe(HttpUrl url, IOException e) {
    String what = e == null ? "unknown" : e.getClass().getSimpleName() + ": " + e.getMessage();
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

  Duration retryAfter(Response r) {
    return RetryAfter.parse(r.header("Retry-After"), clock, retryAfterCap);
  }

  static String bodyString(ResponseBody b) throws IOException {
    return b == null ? "" : b.string();
  }

  /** The result of one attempt: a response, or a failure and whether to retry it. */
  record Attempt(
      OpenBaoResponse response, OpenBaoException failure, boolean retryable, Duration retryAfter) {
    static Attempt ok(OpenBaoResponse r) {
      return new Attempt(r, null, false, null);
    }

    static Attempt fail(OpenBaoException e, boolean retryable, Duration retryAfter) {
      return new Attempt(null, e, retryable, retryAfter);
    }
  }

  /** Options; the defaults suit production. */
  public static final class Builder {
    private final OpenBaoSettings settings;
    private int maxAttempts = 4;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(30);
    private Supplier<Backoff> backoff =
        () -> new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Clock clock = Clock.systemUTC();
    private Duration retryAfterCap = Duration.ofMinutes(5);
    private RequestObserver observer = RequestObserver.NOOP;

    private Builder(OpenBaoSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings == null");
    }

    /** Tries per call, including the first (default 4). */
    public Builder maxAttempts(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxAttempts < 1: " + n);
      }
      this.maxAttempts = n;
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = Objects.requireNonNull(d, "connectTimeout == null");
      return this;
    }

    public Builder readTimeout(Duration d) {
      this.readTimeout = Objects.requireNonNull(d, "readTimeout == null");
      return this;
    }

    /** A fresh schedule per call (default 500ms to 30s, jittered). */
    public Builder backoff(Supplier<Backoff> b) {
      this.backoff = Objects.requireNonNull(b, "backoff == null");
      return this;
    }

    public Builder sleeper(Sleeper s) {
      this.sleeper = Objects.requireNonNull(s, "sleeper == null");
      return this;
    }

    /** For {@code Retry-After} HTTP dates. */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock == null");
      return this;
    }

    /** The longest {@code Retry-After} honoured (default 5 minutes). */
    public Builder retryAfterCap(Duration d) {
      this.retryAfterCap = Objects.requireNonNull(d, "retryAfterCap == null");
      return this;
    }

    public Builder observer(RequestObserver o) {
      this.observer = Objects.requireNonNull(o, "observer == null");
      return this;
    }

    public OpenBaoClient build() {
      return new OpenBaoClient(this);
    }
  }
}
