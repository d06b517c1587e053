package io.baoinjector.sidecar.token;

import io.baoinjector.shared.Backoff;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.auth.AuthMethod;
import io.baoinjector.sidecar.auth.Token;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import io.baoinjector.sidecar.openbao.TokenInvalidException;
import io.baoinjector.sidecar.openbao.UnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token's state and the login/renew tasks that change it. Every task runs on the one {@link
 * Scheduler} thread and every task leaves exactly one next task scheduled (or none, for a token
 * that never expires): that is what makes a tight loop impossible. State is guarded by this.
 */
final class Lifecycle {
  // logs under TokenManager: the name operators know
  private static final Logger log = LoggerFactory.getLogger(TokenManager.class);

  private final OpenBaoClient client;
  private final AuthMethod auth;
  private final Scheduler scheduler;
  private final Clock clock;

  /** The longest wait between logins while OpenBao cannot answer (see loginRetryDelay). */
  static final Duration OUTAGE_LOGIN_RETRY = Duration.ofSeconds(5);

  private final Backoff backoff;
  private final RenewalPolicy policy;
  private final TokenObserver observer;
  private final CredentialWait credentials;

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

  Lifecycle(
      OpenBaoClient client,
      AuthMethod auth,
      Scheduler scheduler,
      Clock clock,
      Backoff backoff,
      RenewalPolicy policy,
      TokenObserver observer,
      Duration credentialPoll) {
    this.client = client;
    this.auth = auth;
    this.scheduler = scheduler;
    this.clock = clock;
    this.backoff = backoff;
    this.policy = policy;
    this.observer = observer;
    this.credentials = new CredentialWait(auth, clock, credentialPoll);
  }

  synchronized void start() {
    if (started) {
      throw new IllegalStateException("TokenManager already started");
    }
    started = true;
    scheduleLogin(Duration.ZERO, false);
  }

  SecretValue currentToken() {
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

  SecretValue awaitToken(Duration timeout) throws InterruptedException {
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

  synchronized Token currentOrNull() {
    return token;
  }

  void close() {
    synchronized (this) {
      closed = true;
      if (pending != null) {
        pending.cancel();
      }
      notifyAll();
    }
    nextLoginFuture().cancel(false);
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
    // before the login reads the files: a change made while it runs is noticed at the first poll
    Object stamp = credentials.stamp();
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
        d = loginRetryDelay(e);
        done = swapNextLogin();
        scheduleLoginAfterFailure(d, stamp);
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
          t.clientToken(),
          client.get(TokenManager.LOOKUP_SELF, t.clientToken()),
          TokenManager.LOOKUP_SELF);
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
          Token.fromAuth(
              client.post(TokenManager.RENEW_SELF, Map.of(), t.clientToken()),
              "POST",
              TokenManager.RENEW_SELF);
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
          Duration d = policy.reloginDelay(loginTtl, renewed.ttl());
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
      log.warn(
          "token {}: {} (renew-self answered 403); logging in again",
          t,
          TokenInvalidException.NO_LONGER_VALID);
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
        d = beforeExpiry(backoff.next(), exp);
        if (!loginPending) {
          schedule(d, this::runRenew);
        }
      }
      log.warn("renewing token {} failed: {}; next try in {} ms", t, e.getMessage(), d.toMillis());
    }
  }

  /**
   * A renewal retry that the backoff would put past the expiry is moved up to when 10% of the TTL
   * is left, so a transient failure does not cost the token. Only once: from then on the backoff
   * alone decides (and an expired token is replaced by a login, which backs off too).
   */
  private Duration beforeExpiry(Duration backoffDelay, Instant exp) {
    if (exp == null) {
      return backoffDelay;
    }
    Duration late = Duration.between(clock.instant(), exp).minus(loginTtl.dividedBy(10));
    boolean sooner = late.compareTo(backoffDelay) < 0 && late.compareTo(Duration.ofSeconds(1)) >= 0;
    return sooner ? late : backoffDelay;
  }

  // ---- scheduling (callers hold the lock) -----------------------------------------------------

  /**
   * The backoff's next delay, capped at {@link #OUTAGE_LOGIN_RETRY} when OpenBao could not answer
   * (unreachable, sealed, 5xx): such an attempt costs OpenBao nothing, and a token that expired
   * during a long outage must come back within seconds of the unseal, not after the 30 s+ step the
   * backoff had reached (seen in the 60 s sealed fault scenario). A refused login (wrong secret id,
   * a revoked given token) keeps the full backoff; new credential files end it early.
   */
  private Duration loginRetryDelay(RuntimeException e) {
    Duration d = backoff.next();
    boolean outage = e instanceof UnavailableException && !(e instanceof TokenInvalidException);
    return outage && d.compareTo(OUTAGE_LOGIN_RETRY) > 0 ? OUTAGE_LOGIN_RETRY : d;
  }

  private void scheduleAfter(Token t) {
    if (t.neverExpires()) {
      log.info("token {} does not expire; nothing to renew", t);
      return;
    }
    if (t.renewable()) {
      schedule(policy.nextDelay(t.ttl()), this::runRenew);
    } else {
      scheduleLogin(policy.reloginDelay(t.ttl(), t.ttl()), false);
    }
  }

  private void scheduleLoginAfterFailure(Duration d, Object stamp) {
    CredentialWait.Wait w = credentials.start(d, stamp);
    if (w == null) {
      scheduleLogin(d, true);
      return;
    }
    loginPending = true;
    backingOff = true;
    schedule(credentials.poll(), () -> watchCredentials(w));
  }

  private void watchCredentials(CredentialWait.Wait w) {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    Duration next = credentials.next(w);
    if (next == null) {
      runLogin();
      return;
    }
    synchronized (this) {
      if (!closed) {
        schedule(next, () -> watchCredentials(w));
      }
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

  static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.debug("token observer failed", e);
    }
  }
}
