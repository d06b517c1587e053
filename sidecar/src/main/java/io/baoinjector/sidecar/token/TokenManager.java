package io.baoinjector.sidecar.token;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.auth.AuthMethod;
import io.baoinjector.sidecar.auth.Token;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import io.baoinjector.sidecar.util.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the sidecar's one token: logs in, renews at about 2/3 of the TTL, logs in again when the
 * token is not renewable, reaches its max TTL, or turns out dead, and backs off (1s to 5m,
 * jittered) on every failure: no path loops without waiting (OpenBao's agent does, openbao#3747).
 *
 * <p>All lifecycle work runs on one {@link Scheduler} thread, so there is never more than one login
 * or renewal in flight. Readers call {@link #currentToken()}; a reader that gets a 403 calls {@link
 * #onForbidden(SecretValue)}, which asks {@code lookup-self} once for all concurrent callers and
 * only then decides between "log in again" and "the policy denies it".
 */
public final class TokenManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TokenManager.class);
  static final String LOOKUP_SELF = "auth/token/lookup-self";
  static final String RENEW_SELF = "auth/token/renew-self";
  static final String REVOKE_SELF = "auth/token/revoke-self";

  private final OpenBaoClient client;
  private final AuthMethod auth;
  private final Scheduler scheduler;
  private final boolean ownsScheduler;
  private final Clock clock;
  private final Backoff backoff;
  private final RenewalPolicy policy;
  private final TokenObserver observer;
  private final ForbiddenCheck forbidden;

  // all guarded by this
  private Token token;
  private Instant expiry;
  private Duration loginTtl;
  private Scheduler.Cancellable pending;
  private boolean loginPending;
  private boolean loginRunning;
  private boolean backingOff;
  private CompletableFuture<Token> nextLogin = new CompletableFuture<>();
  private RuntimeException lastFailure;
  private boolean attempted;
  private boolean started;
  private boolean closed;

  public TokenManager(OpenBaoClient client, AuthMethod auth) {
    this(builder(client, auth));
  }

  private TokenManager(Builder b) {
    this.client = b.client;
    this.auth = b.auth;
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = ownsScheduler ? Scheduler.daemon("bao-token") : b.scheduler;
    this.clock = b.clock;
    this.backoff = b.backoff;
    this.policy = new RenewalPolicy(b.random);
    this.observer = b.observer;
    this.forbidden = new ForbiddenCheck(this, client, clock, b.forbiddenCheckInterval, b.waitLimit);
  }

  public static Builder builder(OpenBaoClient client, AuthMethod auth) {
    return new Builder(client, auth);
  }

  /** Starts the first login (asynchronously). Call once. */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("TokenManager already started");
    }
    started = true;
    scheduleLogin(Duration.ZERO, false);
  }

  /**
   * The current token. Blocks until the first login attempt has finished; then returns the token,
   * or throws that attempt's failure ({@link io.baoinjector.sidecar.auth.AuthException} for a
   * configuration problem, {@link OpenBaoException} otherwise) while no login has succeeded yet.
   * After the first success it never blocks: during a re-login the old token is still returned.
   */
  public SecretValue currentToken() {
    synchronized (this) {
      if (!started) {
        throw new IllegalStateException("TokenManager not started");
      }
      boolean interrupted = false;
      while (!attempted && !closed) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
          break;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the first login");
      }
      if (token != null) {
        return token.clientToken();
      }
      if (lastFailure != null) {
        throw lastFailure;
      }
      throw new IllegalStateException("TokenManager closed before logging in");
    }
  }

  /** Like {@link #currentToken()}, but waits up to {@code timeout} for a successful login. */
  public SecretValue awaitToken(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (token == null && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        wait(Math.max(1, left / 1_000_000));
      }
    }
    return currentToken();
  }

  /** The current token and what OpenBao said about it at the last login or renewal. */
  public synchronized Optional<Token> current() {
    return Optional.ofNullable(token);
  }

  /**
   * Asks {@code lookup-self} whether the current token still works.
   *
   * @return false when OpenBao says 403 (dead); throws when OpenBao cannot be asked
   */
  public boolean isTokenAlive() {
    SecretValue t = currentToken();
    try {
      client.get(LOOKUP_SELF, t);
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
  public ForbiddenVerdict onForbidden(SecretValue tokenUsed) {
    ForbiddenVerdict v = forbidden.check(tokenUsed);
    safely(() -> observer.onForbiddenChecked(v));
    return v;
  }

  /**
   * Revokes the token ({@code revoke-self}) and stops. Only {@code run} with {@code revoke-on-exit:
   * true} calls this: revoking also revokes every lease handed to the app.
   *
   * @return whether OpenBao confirmed the revocation
   */
  public boolean revoke() {
    Token t;
    synchronized (this) {
      t = token;
    }
    close();
    if (t == null) {
      return false;
    }
    try {
      client.post(REVOKE_SELF, Map.of(), t.clientToken());
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
    synchronized (this) {
      closed = true;
      if (pending != null) {
        pending.cancel();
      }
      notifyAll();
    }
    nextLoginFuture().cancel(false);
    if (ownsScheduler) {
      scheduler.shutdown();
    }
  }

  // ---- lifecycle, on the scheduler thread -----------------------------------------------------

  private void runLogin() {
    synchronized (this) {
      loginRunning = true;
    }
    try {
      doLogin();
    } finally {
      synchronized (this) {
        loginRunning = false;
      }
    }
  }

  private void doLogin() {
    Token t;
    try {
      t = auth.login(client);
      t = lookup(t);
    } catch (RuntimeException e) {
      CompletableFuture<Token> done;
      Duration d;
      synchronized (this) {
        if (closed) {
          return;
        }
        lastFailure = e;
        attempted = true;
        notifyAll();
        d = backoff.next();
        done = swapNextLogin();
        scheduleLogin(d, true);
      }
      done.completeExceptionally(e);
      safely(() -> observer.onLoginFailure(e));
      log.warn(
          "login ({}) failed: {}; next try in {} ms",
          auth.describe(),
          e.getMessage(),
          d.toMillis());
      return;
    }
    CompletableFuture<Token> done;
    synchronized (this) {
      if (closed) {
        return;
      }
      boolean sameToken = token != null && token.clientToken().equals(t.clientToken());
      token = t;
      loginTtl = t.ttl();
      expiry = t.neverExpires() ? null : clock.instant().plus(t.ttl());
      lastFailure = null;
      attempted = true;
      loginPending = false;
      backingOff = false;
      backoff.reset();
      notifyAll();
      done = swapNextLogin();
      if (sameToken && !t.neverExpires()) {
        // a given token (auth method token) cannot be replaced by logging in again; asking again
        // at 2/3 of an ever shorter TTL would only make a burst of lookups before it expires
        log.warn(
            "token {} cannot be extended past its max TTL; provide a new token before it expires",
            t);
        scheduleLogin(t.ttl().plusSeconds(1), false);
      } else {
        scheduleAfter(t);
      }
    }
    done.complete(t);
    final Token logged = t;
    safely(() -> observer.onLogin(logged));
    log.info("logged in ({}): {}", auth.describe(), t);
  }

  /** lookup-self for the authoritative TTL; the login answer serves if the lookup fails. */
  private Token lookup(Token t) {
    try {
      return Token.fromLookup(
          t.clientToken(), client.get(LOOKUP_SELF, t.clientToken()), LOOKUP_SELF);
    } catch (OpenBaoException e) {
      log.debug("lookup-self after login failed: {}", e.getMessage());
      return t;
    }
  }

  private void runRenew() {
    Token t;
    Instant exp;
    synchronized (this) {
      if (closed) {
        return;
      }
      t = token;
      exp = expiry;
    }
    Instant now = clock.instant();
    if (exp != null && !now.isBefore(exp)) {
      log.warn("token {} expired before it could be renewed; logging in again", t);
      runLogin();
      return;
    }
    Duration before = exp == null ? Duration.ZERO : Duration.between(now, exp);
    try {
      Token answer =
          Token.fromAuth(client.post(RENEW_SELF, Map.of(), t.clientToken()), "POST", RENEW_SELF);
      Token renewed = t.withTtl(answer.ttl(), answer.renewable());
      synchronized (this) {
        if (closed || token != t) {
          return;
        }
        token = renewed;
        expiry = clock.instant().plus(renewed.ttl());
        backoff.reset();
        if (loginPending) {
          // a re-login was requested meanwhile (a 403 found the token dead): let it run
        } else if (!renewed.renewable() || RenewalPolicy.capped(loginTtl, before, renewed.ttl())) {
          Duration d = policy.nextDelay(renewed.ttl());
          log.info(
              "token {} reached its max TTL; logging in again in {} ms", renewed, d.toMillis());
          scheduleLogin(d, false);
        } else {
          schedule(policy.nextDelay(renewed.ttl()), this::runRenew);
        }
      }
      safely(() -> observer.onRenewal(renewed));
      log.debug("renewed token {}", renewed);
    } catch (PermissionDeniedException e) {
      safely(() -> observer.onRenewalFailure(e));
      log.warn("token {} can no longer be renewed (403); logging in again", t);
      synchronized (this) {
        if (!closed) {
          scheduleLogin(Duration.ZERO, false);
        }
      }
    } catch (RuntimeException e) {
      safely(() -> observer.onRenewalFailure(e));
      Duration d;
      synchronized (this) {
        if (closed) {
          return;
        }
        d = backoff.next();
        if (!loginPending) {
          schedule(d, this::runRenew);
        }
      }
      log.warn("renewing token {} failed: {}; next try in {} ms", t, e.getMessage(), d.toMillis());
    }
  }

  // ---- scheduling (callers hold the lock) -----------------------------------------------------

  private void scheduleAfter(Token t) {
    if (t.neverExpires()) {
      log.info("token {} does not expire; nothing to renew", t);
      return;
    }
    Duration d = policy.nextDelay(t.ttl());
    if (t.renewable()) {
      schedule(d, this::runRenew);
    } else {
      scheduleLogin(d, false);
    }
  }

  private void scheduleLogin(Duration d, boolean afterFailure) {
    loginPending = true;
    backingOff = afterFailure;
    schedule(d, this::runLogin);
  }

  private void schedule(Duration d, Runnable task) {
    if (pending != null) {
      pending.cancel();
    }
    pending = scheduler.schedule(d, task);
  }

  private CompletableFuture<Token> swapNextLogin() {
    CompletableFuture<Token> done = nextLogin;
    nextLogin = new CompletableFuture<>();
    return done;
  }

  private synchronized CompletableFuture<Token> nextLoginFuture() {
    return nextLogin;
  }

  /**
   * Single-flight re-login after {@code dead} was found dead. If the token was already replaced the
   * answer is immediate; if a login is backing off after failures it is not hurried (no storm while
   * OpenBao is struggling); otherwise one login runs now.
   */
  synchronized CompletableFuture<Token> relogin(SecretValue dead) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("closed"));
    }
    if (token != null && !token.clientToken().equals(dead)) {
      return CompletableFuture.completedFuture(token);
    }
    if (!loginRunning && !(loginPending && backingOff)) {
      scheduleLogin(Duration.ZERO, false);
    }
    return nextLogin;
  }

  synchronized Token currentOrNull() {
    return token;
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.debug("token observer failed", e);
    }
  }

  /** Options; the defaults suit production. */
  public static final class Builder {
    private final OpenBaoClient client;
    private final AuthMethod auth;
    private Scheduler scheduler;
    private Clock clock = Clock.systemUTC();
    private Backoff backoff = Backoff.standard();
    private DoubleSupplier random = Math::random;
    private TokenObserver observer = TokenObserver.NOOP;
    private Duration forbiddenCheckInterval = Duration.ofSeconds(10);
    private Duration waitLimit = Duration.ofSeconds(60);

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

    public TokenManager build() {
      return new TokenManager(this);
    }
  }
}
