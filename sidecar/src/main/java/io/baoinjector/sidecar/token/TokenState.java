package io.baoinjector.sidecar.token;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.auth.Token;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The current token, its expiry, and whoever waits for it: callers blocked until the first login,
 * and the single-flight future of the next login. Its monitor is the lifecycle's one lock: {@link
 * Lifecycle} holds it around every change that also schedules a task, so a login result and the
 * task that follows it are seen together.
 */
final class TokenState {
  private Token token;
  private Instant expiry;
  private Duration loginTtl;
  private RuntimeException lastFailure;
  private boolean attempted;
  private boolean started;
  private boolean closed;
  private CompletableFuture<Token> nextLogin = new CompletableFuture<>();

  synchronized void start() {
    if (started) {
      throw new IllegalStateException("TokenManager already started");
    }
    started = true;
  }

  /** The token, after waiting for the first login attempt; that attempt's failure if it failed. */
  synchronized SecretValue currentToken() {
    if (!started) {
      throw new IllegalStateException("TokenManager not started");
    }
    while (!attempted && !closed) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the first login");
      }
    }
    if (token != null) {
      return token.clientToken();
    }
    if (lastFailure != null) {
      throw lastFailure;
    }
    throw new IllegalStateException("TokenManager closed before logging in");
  }

  synchronized SecretValue awaitToken(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (token == null && !closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return currentToken();
  }

  synchronized Token currentOrNull() {
    return token;
  }

  /** When the token ends, or null for one that never expires. */
  synchronized Instant expiry() {
    return expiry;
  }

  /** The TTL the last login gave. */
  synchronized Duration loginTtl() {
    return loginTtl;
  }

  synchronized boolean closed() {
    return closed;
  }

  /** Wakes every waiter; the returned future is the next login's, for the caller to cancel. */
  synchronized CompletableFuture<Token> close() {
    closed = true;
    notifyAll();
    return nextLogin;
  }

  /** Records a failed login; returns the future its waiters hold, to complete exceptionally. */
  synchronized CompletableFuture<Token> loginFailed(RuntimeException e) {
    lastFailure = e;
    attempted = true;
    notifyAll();
    return swapNextLogin();
  }

  /** Records a login at {@code now}; returns the future its waiters hold, to complete with it. */
  synchronized CompletableFuture<Token> loggedIn(Token t, Instant now) {
    token = t;
    loginTtl = t.ttl();
    expiry = t.neverExpires() ? null : now.plus(t.ttl());
    lastFailure = null;
    attempted = true;
    notifyAll();
    return swapNextLogin();
  }

  synchronized void renewed(Token renewed, Instant now) {
    token = renewed;
    expiry = now.plus(renewed.ttl());
  }

  /** The future that the next login (success or failure) completes. */
  synchronized CompletableFuture<Token> nextLogin() {
    return nextLogin;
  }

  private CompletableFuture<Token> swapNextLogin() {
    CompletableFuture<Token> done = nextLogin;
    nextLogin = new CompletableFuture<>();
    return done;
  }
}
