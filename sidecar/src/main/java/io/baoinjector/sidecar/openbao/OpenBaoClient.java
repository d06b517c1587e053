package io.baoinjector.sidecar.openbao;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.shared.Backoff;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.config.OpenBaoSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
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
 * off, as it would follow any number and carry the token anywhere). A node that answers 429 twice
 * in a row is passed over for the next address. One attempt lasts at most the call timeout (15s).
 *
 * <p>Errors are typed ({@link PermissionDeniedException}, {@link NotFoundException}, {@link
 * UnavailableException}, {@link SealedException}, {@link BadResponseException}) and their messages
 * never contain tokens or body values other than OpenBao's {@code errors} strings.
 */
public final class OpenBaoClient {
  private static final Logger log = LoggerFactory.getLogger(OpenBaoClient.class);
  static final ObjectMapper JSON = new ObjectMapper();

  private final Transport transport;
  private final int maxAttempts;
  private final Supplier<Backoff> backoff;
  private final Sleeper sleeper;

  public OpenBaoClient(OpenBaoSettings settings) {
    this(builder(settings));
  }

  private OpenBaoClient(Builder b) {
    Objects.requireNonNull(b.settings.addresses(), "openbao.addresses == null");
    if (b.settings.addresses().isEmpty()) {
      throw new IllegalArgumentException("openbao.address: at least one address is required");
    }
    List<HttpUrl> addresses =
        b.settings.addresses().stream().map(u -> HttpUrl.get(u.toString())).toList();
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.sleeper = b.sleeper;
    OkHttpClient.Builder ok =
        new OkHttpClient.Builder()
            .followRedirects(false)
            .followSslRedirects(false)
            .connectTimeout(b.connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(b.readTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .callTimeout(b.callTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .writeTimeout(b.readTimeout.toMillis(), TimeUnit.MILLISECONDS);
    Tls.configure(ok, b.settings.caCert(), b.settings.tlsSkipVerify());
    this.transport =
        new Transport(
            addresses,
            b.settings.namespace() == null ? "" : b.settings.namespace(),
            ok.build(),
            b.clock,
            b.observer);
  }

  public static Builder builder(OpenBaoSettings settings) {
    return new Builder(settings);
  }

  // ---- convenience ----------------------------------------------------------------------------

  /** GET; the JSON body, or null for 204. */
  public JsonNode get(String path, SecretValue token) {
    return send(new OpenBaoRequest("GET", path, null, token)).body();
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
    return transport.currentAddress();
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
      Attempt a = transport.attempt(req, body);
      if (a.response() != null) {
        return a.response();
      }
      if (!a.retryable() || attempt >= maxAttempts || Thread.currentThread().isInterrupted()) {
        throw a.failure();
      }
      Duration delay = wait.next(a.retryAfter());
      log.info(
          "{} {} failed ({}); retry {}/{} in {} ms",
          req.method(),
          req.pathLabel(),
          a.failure().status() > 0 ? "status " + a.failure().status() : "no answer",
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

  /** Options; the defaults suit production. */
  public static final class Builder {
    private final OpenBaoSettings settings;
    private int maxAttempts = 4;
    private Duration connectTimeout = Duration.ofSeconds(5);
    // one attempt, connect to last body byte, ends within callTimeout: a stopped (SIGSTOP) OpenBao
    // holds a call for at most maxAttempts x 15 s plus the backoff, not 4 x 30 s per read
    private Duration readTimeout = Duration.ofSeconds(15);
    private Duration callTimeout = Duration.ofSeconds(15);
    private Supplier<Backoff> backoff =
        () -> new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
    private Sleeper sleeper = Sleeper.SYSTEM;
    private Clock clock = Clock.systemUTC();
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

    /** The whole of one attempt, connect to last byte (default 15s; 0 means none). */
    public Builder callTimeout(Duration d) {
      this.callTimeout = Objects.requireNonNull(d, "callTimeout == null");
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

    public Builder observer(RequestObserver o) {
      this.observer = Objects.requireNonNull(o, "observer == null");
      return this;
    }

    public OpenBaoClient build() {
      return new OpenBaoClient(this);
    }
  }
}
