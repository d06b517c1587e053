package io.baoinjector.sidecar.source;

import io.baoinjector.shared.Backoff;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.TokenInvalidException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the last round could reach OpenBao, and when to try again if not: the shared {@link
 * Backoff} from 1s up to the refresh interval (at most 5 min), so a long outage ends without a
 * burst. One log line when the outage starts and one when it ends, however many rounds fail
 * between.
 */
final class Outage {
  // logs under Refresher: the name operators know
  private static final Logger log = LoggerFactory.getLogger(Refresher.class);

  private final Backoff backoff;
  private final String store;
  private volatile OpenBaoException current;

  Outage(Duration interval) {
    this(interval, null);
  }

  /** {@code store}: a backend block's name, or null for OpenBao (as the log lines name it). */
  Outage(Duration interval, String store) {
    this.store = store;
    Duration cap = interval.compareTo(Duration.ofMinutes(5)) > 0 ? Duration.ofMinutes(5) : interval;
    this.backoff =
        new Backoff(
            Duration.ofSeconds(1),
            cap.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : cap);
  }

  Optional<OpenBaoException> current() {
    return Optional.ofNullable(current);
  }

  boolean active() {
    return current != null;
  }

  void failed(OpenBaoException unreachable) {
    if (current == null && store != null) {
      log.warn(
          "backend {} unreachable: {}; serving its last-known-good values (stale)",
          store,
          unreachable.getMessage());
    } else if (current == null) {
      log.warn(
          "{}: {}; serving last-known-good values (stale)",
          unreachable instanceof TokenInvalidException
              ? "OpenBao refused the token"
              : "OpenBao unreachable",
          unreachable.getMessage());
    }
    current = unreachable;
  }

  void cleared() {
    if (current != null) {
      if (store != null) {
        log.info("backend {} reachable again; its values are fresh", store);
      } else {
        log.info("OpenBao reachable again; values are fresh");
      }
    }
    current = null;
    backoff.reset();
  }

  /** The wait before the next round while OpenBao cannot be reached. */
  Duration retryDelay() {
    return backoff.next();
  }
}
