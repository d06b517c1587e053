package io.baoinjector.sidecar.output.socket;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;

/**
 * Closes a connection that neither completed a request nor had one in flight during the last
 * period. Idle timeouts alone cannot stop slowloris: every dribbled header byte resets them.
 */
final class RequestDeadline implements Connection.Listener {
  private final ScheduledExecutorService timer;
  private final Set<Connection> inFlight;
  private final long periodMillis;
  private final Map<Connection, ScheduledFuture<?>> checks = new ConcurrentHashMap<>();

  RequestDeadline(ScheduledExecutorService timer, Set<Connection> inFlight, Duration period) {
    this.timer = timer;
    this.inFlight = inFlight;
    this.periodMillis = period.toMillis();
  }

  @Override
  public void onOpened(Connection c) {
    long[] seen = {c.getMessagesIn()};
    try {
      checks.put(
          c,
          timer.scheduleAtFixedRate(
              () -> {
                long in = c.getMessagesIn();
                if (in == seen[0] && !inFlight.contains(c)) {
                  c.getEndPoint().close();
                }
                seen[0] = in;
              },
              periodMillis,
              periodMillis,
              TimeUnit.MILLISECONDS));
    } catch (RejectedExecutionException e) {
      c.getEndPoint().close(); // shutting down
    }
  }

  @Override
  public void onClosed(Connection c) {
    ScheduledFuture<?> f = checks.remove(c);
    if (f != null) {
      f.cancel(false);
    }
    inFlight.remove(c);
  }
}
