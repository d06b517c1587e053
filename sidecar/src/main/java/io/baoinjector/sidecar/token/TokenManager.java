package io.baoinjector.sidecar.token;

import io.baoinjector.shared.Backoff;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.auth.AuthMethod;
import io.baoinjector.sidecar.auth.Token;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the sidecar's one token: logs in, renews at about 2/3 of the TTL, logs in again when the
 * token is not renewable, reaches its max TTL, or turns out dead, and backs off (1s to 5m,
 * jittered) on every failure: no path loops without waiting (OpenBao's agent does, openbao#3747). A
 * failed login's wait ends early when the credential files change.
 *
 * <p>All lifecycle work ({@link Lifecycle}) runs on one {@link Scheduler} thread, so there is never
 * more than one login or renewal in flight. Readers call {@link #currentToken()}; a reader that
 * gets a 403 calls {@link #onForbidden(SecretValue)}, which asks {@code lookup-self} once for all
 * concurrent callers and only then decides between "log in again" and "the policy denies it".
 */
public final class TokenManager implements TokenProvider, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TokenManager.class);
  static final String LOOKUP_SELF = "auth/token/lookup-self";
  static final String RENEW_SELF = "auth/token/renew-self";
  static final String REVOKE_SELF = "auth/token/revoke-self";

  private final Scheduler scheduler;
  private final boolean ownsScheduler;
  private final Lifecycle lifecycle;
  private final ForbiddenCheck forbidden;

  private TokenManager(Builder b) {
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = ownsScheduler ? Scheduler.daemon("bao-token") : b.scheduler;
    this.lifecycle = new Lifecycle(b, scheduler);
    this.forbidden = new ForbiddenCheck(lifecycle, b.forbiddenCheckInterval, b.waitLimit);
  }

  public static Builder builder(OpenBaoClient client, AuthMethod auth) {
    return new Builder(client, auth);
  }

  /** Starts the first login (asynchronously). Call once. */
  public void start() {
    lifecycle.start();
  }

  /**
   * The current token. Blocks until the first login attempt has finished; then returns the token,
   * or throws that attempt's failure ({@link io.baoinjector.sidecar.auth.AuthException} for a
   * configuration problem, {@link OpenBaoException} otherwise) while no login has succeeded yet.
   * After the first success it never blocks: during a re-login the old token is still returned.
   */
  @Override
  public SecretValue currentToken() {
    return lifecycle.state.currentToken();
  }

  /** Like {@link #currentToken()}, but waits up to {@code timeout} for a successful login. */
  public SecretValue awaitToken(Duration timeout) throws InterruptedException {
    return lifecycle.state.awaitToken(timeout);
  }

  /** The current token and what OpenBao said about it at the last login or renewal. */
  public Optional<Token> current() {
    return Optional.ofNullable(lifecycle.state.currentOrNull());
  }

  /**
   * Asks {@code lookup-self} whether the current token still works.
   *
   * @return false when OpenBao says 403 (dead); throws when OpenBao cannot be asked
   */
  public boolean isTokenAlive() {
    SecretValue t = currentToken();
    try {
      lifecycle.client.get(LOOKUP_SELF, t);
      return true;
    } catch (PermissionDeniedException e) {
      return false;
    }
  }

  /** {@link #onForbidden(SecretValue)} for a 403 got with the current token. */
  public ForbiddenVerdict onForbidden() {
    Token t = current().orElse(null);
    return onForbidden(t == null ? null : t.clientToken());
  }

  /**
   * A read with {@code tokenUsed} got a 403: is the token dead or is the path denied? Asks {@code
   * lookup-self} at most once per token for all concurrent callers (an "alive" answer is reused for
   * a short while); a dead token triggers one re-login that all callers wait for. Blocks up to the
   * configured wait limit.
   */
  @Override
  public ForbiddenVerdict onForbidden(SecretValue tokenUsed) {
    ForbiddenVerdict v = forbidden.check(tokenUsed);
    Lifecycle.safely(() -> lifecycle.observer.onForbiddenChecked(v));
    return v;
  }

  /**
   * Revokes the token ({@code revoke-self}) and stops. Only {@code run} with {@code revoke-on-exit:
   * true} calls this: revoking also revokes every lease handed to the app.
   *
   * @return whether OpenBao confirmed the revocation
   */
  public boolean revoke() {
    Token t = lifecycle.state.currentOrNull();
    close();
    if (t == null) {
      return false;
    }
    try {
      lifecycle.client.post(REVOKE_SELF, Map.of(), t.clientToken());
      log.info("revoked token {}", t);
      return true;
    } catch (OpenBaoException e) {
      log.warn("could not revoke token {}: {}", t, e.getMessage());
      return false;
    }
  }

  /** Stops renewing. The token stays valid until it expires. */
  @Override
  public void close() {
    lifecycle.close();
    if (ownsScheduler) {
      scheduler.shutdown();
    }
  }

  /** Options; the defaults suit production. */
  public static final class Builder {
    // read by the lifecycle it configures
    final OpenBaoClient client;
    final AuthMethod auth;
    Scheduler scheduler;
    Clock clock = Clock.systemUTC();
    Backoff backoff = Backoff.standard();
    DoubleSupplier random = Math::random;
    TokenObserver observer = TokenObserver.NOOP;
    Duration forbiddenCheckInterval = Duration.ofSeconds(10);
    Duration waitLimit = Duration.ofSeconds(60);
    Duration minReloginMargin = RenewalPolicy.MIN_RELOGIN_MARGIN;
    Duration credentialPoll = Duration.ofSeconds(2);

    private Builder(OpenBaoClient client, AuthMethod auth) {
      this.client = Objects.requireNonNull(client, "client == null");
      this.auth = Objects.requireNonNull(auth, "auth == null");
    }

    /** Default: one daemon thread, shut down by {@link #close()}. */
    public Builder scheduler(Scheduler s) {
      this.scheduler = Objects.requireNonNull(s, "scheduler == null");
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock == null");
      return this;
    }

    /** For login and renewal failures (default 1s to 5m, jittered). */
    public Builder backoff(Backoff b) {
      this.backoff = Objects.requireNonNull(b, "backoff == null");
      return this;
    }

    /** Jitter source for renewal times, values in [0, 1). */
    public Builder random(DoubleSupplier r) {
      this.random = Objects.requireNonNull(r, "random == null");
      return this;
    }

    public Builder observer(TokenObserver o) {
      this.observer = Objects.requireNonNull(o, "observer == null");
      return this;
    }

    /** How long an "alive" lookup answers later 403s without asking again (default 10s). */
    public Builder forbiddenCheckInterval(Duration d) {
      this.forbiddenCheckInterval = Objects.requireNonNull(d, "forbiddenCheckInterval == null");
      return this;
    }

    /** How long {@code onForbidden} waits for a lookup or re-login (default 60s). */
    public Builder waitLimit(Duration d) {
      this.waitLimit = Objects.requireNonNull(d, "waitLimit == null");
      return this;
    }

    /**
     * The least time left before the max TTL when a re-login starts (default 5s); the margin is a
     * third of the login's TTL when that is more.
     */
    public Builder minReloginMargin(Duration d) {
      this.minReloginMargin = Objects.requireNonNull(d, "minReloginMargin == null");
      return this;
    }

    /**
     * How often the credential files are looked at while a failed login backs off (default 2s); a
     * change ends the wait.
     */
    public Builder credentialPoll(Duration d) {
      this.credentialPoll = Objects.requireNonNull(d, "credentialPoll == null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("credentialPoll must be positive: " + d);
      }
      return this;
    }

    public TokenManager build() {
      return new TokenManager(this);
    }
  }
}
