package io.baoinjector.sidecar.token;

import io.baoinjector.shared.Backoff;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.auth.AuthMethod;
import io.baoinjector.sidecar.auth.Token;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The login task and the scheduling of every task that changes the {@link TokenState} (the renew
 * task is {@link Renewal}). Every task runs on the one {@link Scheduler} thread and every task
 * leaves exactly one next task scheduled (or none, for a token that never expires): that is what
 * makes a tight loop impossible. The task flags are guarded by the state's monitor, the one lock of
 * the lifecycle.
 */
final class Lifecycle {
  // logs under TokenManager: the name operators know
  private static final Logger log = LoggerFactory.getLogger(TokenManager.class);

  // shared with the renew task, the 403 check and the manager
  final OpenBaoClient client;
  final Clock clock;
  final Backoff backoff;
  final RenewalPolicy policy;
  final TokenObserver observer;
  final TokenState state = new TokenState();

  private final AuthMethod auth;
  private final Scheduler scheduler;
  private final CredentialWait credentials;
  private final Renewal renewal;

  // guarded by state
  private Scheduler.Cancellable pending;
  private boolean loginPending;
  private boolean loginRunning;
  private boolean backingOff;

  Lifecycle(TokenManager.Builder b, Scheduler scheduler) {
    this.client = b.client;
    this.auth = b.auth;
    this.scheduler = scheduler;
    this.clock = b.clock;
    this.backoff = b.backoff;
    this.policy = new RenewalPolicy(b.random, b.minReloginMargin);
    this.observer = b.observer;
    this.credentials = new CredentialWait(auth, clock, b.credentialPoll);
    this.renewal = new Renewal(this);
  }

  void start() {
    synchronized (state) {
      state.start();
      scheduleLogin(Duration.ZERO, false);
    }
  }

  void close() {
    CompletableFuture<Token> next;
    synchronized (state) {
      next = state.close();
      if (pending != null) {
        pending.cancel();
      }
    }
    next.cancel(false);
  }

  // ---- lifecycle, on the scheduler thread -----------------------------------------------------

  void runLogin() {
    synchronized (state) {
      loginRunning = true;
    }
    try {
      doLogin();
    } finally {
      synchronized (state) {
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
      synchronized (state) {
        if (state.closed()) {
          return;
        }
        done = state.loginFailed(e);
        d = RenewalPolicy.loginRetryDelay(backoff.next(), e);
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
    synchronized (state) {
      if (state.closed()) {
        return;
      }
      Token before = state.currentOrNull();
      boolean sameToken = before != null && before.clientToken().equals(t.clientToken());
      done = state.loggedIn(t, clock.instant());
      loginPending = false;
      backingOff = false;
      backoff.reset();
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
    final Token logged = t;
    // counted before the waiters go on, so whoever sees the new token also sees the login counted
    safely(() -> observer.onLogin(logged));
    done.complete(t);
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

  // ---- scheduling (callers hold the state's lock) ---------------------------------------------

  private void scheduleAfter(Token t) {
    if (t.neverExpires()) {
      log.info("token {} does not expire; nothing to renew", t);
      return;
    }
    if (t.renewable()) {
      schedule(policy.nextDelay(t.ttl()), renewal::run);
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
    if (state.closed()) {
      return;
    }
    Duration next = credentials.next(w);
    if (next == null) {
      runLogin();
      return;
    }
    synchronized (state) {
      if (!state.closed()) {
        schedule(next, () -> watchCredentials(w));
      }
    }
  }

  /** A re-login was asked for (by a 403, a max TTL, a failure) and has not run yet. */
  boolean loginPending() {
    return loginPending;
  }

  void scheduleLogin(Duration d, boolean afterFailure) {
    loginPending = true;
    backingOff = afterFailure;
    schedule(d, this::runLogin);
  }

  void schedule(Duration d, Runnable task) {
    if (pending != null) {
      pending.cancel();
    }
    pending = scheduler.schedule(d, task);
  }

  /**
   * Single-flight re-login after {@code dead} was found dead. If the token was already replaced the
   * answer is immediate; if a login is backing off after failures it is not hurried (no storm while
   * OpenBao is struggling); otherwise one login runs now.
   */
  CompletableFuture<Token> relogin(SecretValue dead) {
    synchronized (state) {
      if (state.closed()) {
        return CompletableFuture.failedFuture(new IllegalStateException("closed"));
      }
      Token token = state.currentOrNull();
      if (token != null && !token.clientToken().equals(dead)) {
        return CompletableFuture.completedFuture(token);
      }
      if (!loginRunning && !(loginPending && backingOff)) {
        scheduleLogin(Duration.ZERO, false);
      }
      return state.nextLogin();
    }
  }

  static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.debug("token observer failed", e);
    }
  }
}
