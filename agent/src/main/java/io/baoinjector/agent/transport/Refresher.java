package io.baoinjector.agent.transport;

import io.baoinjector.agent.bootstrap.ManagedEnv;
import io.baoinjector.shared.wire.EnvDocument;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The agent's one background thread: takes snapshots from a {@link Source} and publishes them to
 * {@link ManagedEnv} and the system properties.
 *
 * <p>It never gives up: on an error it keeps the last values and retries with backoff, and a
 * snapshot from a new sidecar instance replaces the old one whole. One line on stderr when the
 * sidecar is lost and one when it is back; nothing while all is well.
 */
final class Refresher implements Runnable {
  private final Source source;
  private final SystemProperties properties = new SystemProperties();
  private final CountDownLatch first = new CountDownLatch(1);
  private final Backoff backoff = new Backoff(100, 5_000);

  Refresher(Source source) {
    this.source = source;
  }

  private volatile boolean gaveUp;
  private volatile Exception failure;

  /** Why the sidecar refused the last attempt (a 403), or null when it did not refuse. */
  String refusal() {
    Exception f = failure;
    return f instanceof SocketSource.Refused ? f.getMessage() : null;
  }

  /**
   * What the sidecar still lacks when the last attempt found it starting (e.g. {@code 2 names
   * unresolved (A, B)}, possibly empty), or null when it was not starting.
   */
  String starting() {
    Exception f = failure;
    return f instanceof Starting ? ((Starting) f).detail : null;
  }

  boolean awaitFirst(long millis) throws InterruptedException {
    boolean reached = first.await(millis, TimeUnit.MILLISECONDS);
    gaveUp = !reached;
    return reached;
  }

  @Override
  public void run() {
    EnvDocument last = null;
    boolean failing = false;
    while (true) {
      boolean longPoll = last != null;
      try {
        EnvDocument next = source.next(last);
        if (last == null
            || !next.instance.equals(last.instance)
            || next.revision != last.revision) {
          publish(next);
        }
        if (failing) {
          Log.line("reached the sidecar at " + source.where() + " again");
        } else if (gaveUp && first.getCount() > 0) {
          Log.line("reached the sidecar at " + source.where() + "; serving its values from now on");
        }
        last = next;
        failing = false;
        first.countDown();
        failure = null;
        // Only a long-poll that worked proves the sidecar healthy: a plain GET can succeed
        // while every long-poll breaks, and resetting on it made a lost/reached loop at 10 Hz.
        if (longPoll) {
          backoff.reset();
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        failure = e;
        if (!failing && first.getCount() == 0) {
          Log.line(
              "lost the sidecar at "
                  + source.where()
                  + " ("
                  + Log.reason(e)
                  + "); keeping the last values, retrying");
        }
        failing = first.getCount() == 0;
        // a later success may come from a restarted sidecar: ask for its current snapshot
        last = null;
        try {
          Thread.sleep(backoff.nextMillis());
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private void publish(EnvDocument doc) {
    // properties first: by the time a new variable is visible, its matching property is too
    boolean propertiesChanged = properties.apply(doc.properties);
    ManagedEnv.replace(doc.values, propertiesChanged);
  }
}
