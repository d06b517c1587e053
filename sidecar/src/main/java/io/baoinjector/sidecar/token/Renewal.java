package io.baoinjector.sidecar.token;

import io.baoinjector.sidecar.auth.Token;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import io.baoinjector.sidecar.openbao.TokenInvalidException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The renew task: renew-self, then the one next task: renew again at about 2/3 of the new TTL, log
 * in again when the max TTL bites or a 403 says the token is dead, or retry on the backoff (moved
 * up before the expiry, see {@link RenewalPolicy#beforeExpiry}). Runs on the {@link Lifecycle}'s
 * scheduler thread and schedules through it, under the state's lock.
 */
final class Renewal {
  // logs under TokenManager: the name operators know
  private static final Logger log = LoggerFactory.getLogger(TokenManager.class);

  private final Lifecycle lifecycle;
  private final TokenState state;

  Renewal(Lifecycle lifecycle) {
    this.lifecycle = lifecycle;
    this.state = lifecycle.state;
  }

  void run() {
    Token t;
    Instant exp;
    synchronized (state) {
      if (state.closed()) {
        return;
      }
      t = state.currentOrNull();
      exp = state.expiry();
    }
    Instant now = lifecycle.clock.instant();
    if (exp != null && !now.isBefore(exp)) {
      log.warn("token {} expired before it could be renewed; logging in again", t);
      lifecycle.runLogin();
      return;
    }
    Duration before = exp == null ? Duration.ZERO : Duration.between(now, exp);
    try {
      Token answer =
          Token.fromAuth(
              lifecycle.client.post(TokenManager.RENEW_SELF, Map.of(), t.clientToken()),
              "POST",
              TokenManager.RENEW_SELF);
      Token renewed = t.withTtl(answer.ttl(), answer.renewable());
      synchronized (state) {
        if (state.closed() || state.currentOrNull() != t) {
          return;
        }
        state.renewed(renewed, lifecycle.clock.instant());
        lifecycle.backoff.reset();
        Duration loginTtl = state.loginTtl();
        if (lifecycle.loginPending()) {
          // a re-login was requested meanwhile (a 403 found the token dead): let it run
        } else if (!renewed.renewable() || RenewalPolicy.capped(loginTtl, before, renewed.ttl())) {
          Duration d = lifecycle.policy.reloginDelay(loginTtl, renewed.ttl());
          log.info(
              "token {} reached its max TTL; logging in again in {} ms", renewed, d.toMillis());
          lifecycle.scheduleLogin(d, false);
        } else {
          lifecycle.schedule(lifecycle.policy.nextDelay(renewed.ttl()), this::run);
        }
      }
      Lifecycle.safely(() -> lifecycle.observer.onRenewal(renewed));
      log.debug("renewed token {}", renewed);
    } catch (PermissionDeniedException e) {
      Lifecycle.safely(() -> lifecycle.observer.onRenewalFailure(e));
      log.warn(
          "token {}: {} (renew-self answered 403); logging in again",
          t,
          TokenInvalidException.NO_LONGER_VALID);
      synchronized (state) {
        if (!state.closed()) {
          lifecycle.scheduleLogin(Duration.ZERO, false);
        }
      }
    } catch (RuntimeException e) {
      Lifecycle.safely(() -> lifecycle.observer.onRenewalFailure(e));
      Duration d;
      synchronized (state) {
        if (state.closed()) {
          return;
        }
        Duration left = exp == null ? null : Duration.between(lifecycle.clock.instant(), exp);
        d = RenewalPolicy.beforeExpiry(lifecycle.backoff.next(), left, state.loginTtl());
        if (!lifecycle.loginPending()) {
          lifecycle.schedule(d, this::run);
        }
      }
      log.warn("renewing token {} failed: {}; next try in {} ms", t, e.getMessage(), d.toMillis());
    }
  }
}
