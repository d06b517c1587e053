package io.baoinjector.sidecar.source;

import io.baoinjector.shared.Backoff;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import io.baoinjector.sidecar.openbao.UnavailableException;
import java.time.Instant;

/**
 * One source plus its bookkeeping: the last good data, failures and when to try again. The source
 * itself can be dropped (and its mount looked up again) without losing the last good data, which
 * keeps serving while the path is re-resolved.
 *
 * <p>A failing slot waits its {@link Backoff} whether or not its source was ever created, so a path
 * whose mount lookup fails is retried on the same schedule as a path whose read fails.
 */
final class SourceSlot {
  /** Consecutive failures after which the source is dropped and its mount resolved again. */
  static final int RESOLVE_AGAIN_AFTER = 3;

  private final Backoff backoff = Backoff.standard();
  private SecretSource source;
  private boolean mountGuessed;
  private SecretData lastGood;
  private boolean failing;
  private OpenBaoException lastError;
  private Instant confirmedAt;
  private boolean answered;
  private Instant retryAt;
  private int failures;

  SecretSource source() {
    return source;
  }

  /** {@code guessed}: the mount lookup was refused, so the engine is the KV v1 fallback's guess. */
  void created(SecretSource s, boolean guessed) {
    source = s;
    mountGuessed = guessed;
  }

  SecretData lastGood() {
    return lastGood;
  }

  boolean failing() {
    return failing;
  }

  Instant confirmedAt() {
    return confirmedAt;
  }

  /** Denied by policy (a 403 with a live token): OpenBao's message, else null. */
  String deniedMessage() {
    return failing && lastError instanceof PermissionDeniedException e ? e.getMessage() : null;
  }

  boolean isDue(Instant now, boolean full, boolean all) {
    if (all) {
      return true;
    }
    if (failing) {
      return !now.isBefore(retryAt);
    }
    if (source == null) {
      return full;
    }
    Instant due = source.due();
    return due != null ? !now.isBefore(due) : full;
  }

  /**
   * When this slot wants a round on its own account (a retry, a lease), or null to follow the
   * refresh interval.
   */
  Instant wakeAt() {
    if (failing) {
      return retryAt;
    }
    return source == null ? null : source.due();
  }

  /**
   * Its store has answered for it since start (with data, a refusal or "not found"): the fallback
   * no longer stands in for it.
   */
  boolean answered() {
    return answered;
  }

  void succeeded(Instant now, SecretData data) {
    answered = true;
    lastGood = data;
    failing = false;
    lastError = null;
    confirmedAt = now;
    failures = 0;
    backoff.reset();
  }

  /** Records a failure; true when it is worth a log line (the first, or a different error). */
  boolean failed(Instant now, OpenBaoException e) {
    answered |= !(e instanceof UnavailableException);
    boolean news = !failing || lastError == null || !lastError.getMessage().equals(e.getMessage());
    failing = true;
    lastError = e;
    failures++;
    retryAt = now.plus(backoff.next());
    return news;
  }

  /**
   * A failure its store's outage paces: retried when the store is ({@link BackendOutages}), not on
   * a backoff of its own.
   */
  void failedWithStore(Instant now, OpenBaoException e, Instant storeRetry) {
    failed(now, e);
    retryAt = storeRetry;
  }

  /**
   * Drops the source when its engine may have been misjudged: the mount was a guess and the read
   * failed, it failed {@value #RESOLVE_AGAIN_AFTER} times in a row, or the secret is absent (a
   * mount replaced by another KV version reads as absent). The next attempt looks the mount up
   * again. Returns true when it dropped the source.
   */
  boolean dropIfMisjudged() {
    if (source == null) {
      return false;
    }
    boolean drop =
        failing
            ? mountGuessed || failures >= RESOLVE_AGAIN_AFTER
            : lastGood != null && !lastGood.present();
    if (drop) {
      source = null;
    }
    return drop;
  }

  void invalidate() {
    if (source != null) {
      source.invalidate();
    }
  }
}
