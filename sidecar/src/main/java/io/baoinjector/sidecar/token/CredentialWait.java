package io.baoinjector.sidecar.token;

import io.baoinjector.sidecar.auth.AuthMethod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failed login's backoff, cut short when the credential files change: an operator who writes a
 * fresh secret id should not wait out a backoff that grew while the old one was refused. The
 * lifecycle looks every {@code poll} on its scheduler thread, so the look is still its one pending
 * task.
 */
final class CredentialWait {
  // logs under TokenManager: the name operators know
  private static final Logger log = LoggerFactory.getLogger(TokenManager.class);
  private static final Duration NOW = Duration.ofMillis(1);

  /** One wait: until {@code due}, or until the files no longer match {@code stamp}. */
  record Wait(Instant due, Object stamp) {}

  private final AuthMethod auth;
  private final Clock clock;
  private final Duration poll;

  CredentialWait(AuthMethod auth, Clock clock, Duration poll) {
    this.auth = auth;
    this.clock = clock;
    this.poll = poll;
  }

  /** The files as they are now; null when there is nothing to watch. */
  Object stamp() {
    try {
      return auth.credentialStamp();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A wait of {@code backoff} from now; null when there is nothing to watch or no time to. */
  Wait start(Duration backoff, Object stamp) {
    if (stamp == null || backoff.compareTo(poll) <= 0) {
      return null;
    }
    return new Wait(clock.instant().plus(backoff), stamp);
  }

  Duration poll() {
    return poll;
  }

  /** When to look again; null when the login should run now (files changed, or time is up). */
  Duration next(Wait w) {
    Duration left = Duration.between(clock.instant(), w.due());
    if (left.compareTo(NOW) < 0) {
      return null;
    }
    if (!Objects.equals(stamp(), w.stamp())) {
      log.info("credential files of {} changed; logging in now", auth.describe());
      return null;
    }
    return left.compareTo(poll) < 0 ? left : poll;
  }
}
