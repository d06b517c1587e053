package io.baoinjector.sidecar.token;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.auth.Token;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import io.baoinjector.sidecar.openbao.TokenInvalidException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a dead token from a denying policy after a 403, asking {@code lookup-self} once for all
 * concurrent callers. A 403 is ambiguous in OpenBao: logging in again on every 403 turns one
 * missing policy into a login storm.
 */
final class ForbiddenCheck {
  private static final Logger log = LoggerFactory.getLogger(ForbiddenCheck.class);

  private final Lifecycle manager;
  private final Duration aliveFor;
  private final Duration waitLimit;

  // guarded by this
  private CompletableFuture<ForbiddenVerdict> inFlight;
  private SecretValue aliveToken;
  private Instant aliveAt;

  ForbiddenCheck(Lifecycle manager, Duration aliveFor, Duration waitLimit) {
    this.manager = manager;
    this.aliveFor = aliveFor;
    this.waitLimit = waitLimit;
  }

  ForbiddenVerdict check(SecretValue used) {
    Token current = manager.state.currentOrNull();
    if (current == null) {
      return ForbiddenVerdict.UNAVAILABLE;
    }
    SecretValue token = used == null ? current.clientToken() : used;
    if (!token.equals(current.clientToken())) {
      return ForbiddenVerdict.RETRY; // a re-login already replaced the token that got the 403
    }
    CompletableFuture<ForbiddenVerdict> f;
    boolean mine = false;
    synchronized (this) {
      // a check that finished a moment ago may have replaced the token meanwhile
      Token now = manager.state.currentOrNull();
      if (now != null && !token.equals(now.clientToken())) {
        return ForbiddenVerdict.RETRY;
      }
      if (token.equals(aliveToken) && manager.clock.instant().isBefore(aliveAt.plus(aliveFor))) {
        return ForbiddenVerdict.DENIED;
      }
      if (inFlight == null) {
        inFlight = new CompletableFuture<>();
        mine = true;
      }
      f = inFlight;
    }
    if (mine) {
      ForbiddenVerdict v;
      try {
        v = ask(token);
      } catch (RuntimeException e) {
        v = ForbiddenVerdict.UNAVAILABLE;
      }
      synchronized (this) {
        inFlight = null;
      }
      f.complete(v);
      return v;
    }
    return await(f);
  }

  private ForbiddenVerdict ask(SecretValue token) {
    try {
      manager.client.get(TokenManager.LOOKUP_SELF, token);
      synchronized (this) {
        aliveToken = token;
        aliveAt = manager.clock.instant();
      }
      return ForbiddenVerdict.DENIED;
    } catch (PermissionDeniedException dead) {
      log.warn(
          "{} (lookup-self answered 403); logging in again", TokenInvalidException.NO_LONGER_VALID);
      CompletableFuture<Token> login = manager.relogin(token);
      try {
        login.get(waitLimit.toMillis(), TimeUnit.MILLISECONDS);
        return ForbiddenVerdict.RETRY;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ForbiddenVerdict.TOKEN_INVALID;
      } catch (ExecutionException
          | TimeoutException
          | java.util.concurrent.CancellationException e) {
        // the token is known dead; the login's own failure is logged by the lifecycle
        return ForbiddenVerdict.TOKEN_INVALID;
      }
    } catch (OpenBaoException e) {
      log.debug("lookup-self after a 403 failed: {}", e.getMessage());
      return ForbiddenVerdict.UNAVAILABLE;
    }
  }

  private ForbiddenVerdict await(CompletableFuture<ForbiddenVerdict> f) {
    try {
      return f.get(waitLimit.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ForbiddenVerdict.UNAVAILABLE;
    } catch (ExecutionException | TimeoutException e) {
      return ForbiddenVerdict.UNAVAILABLE;
    }
  }
}
