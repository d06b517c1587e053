package io.baoinjector.agent;

import io.baoinjector.agent.bootstrap.ManagedEnv;
import io.baoinjector.agent.bootstrap.Pools;
import io.baoinjector.agent.transport.Source;
import io.baoinjector.agent.transport.Sources;
import io.baoinjector.agent.util.Log;
import io.baoinjector.shared.Backoff;
import io.baoinjector.shared.wire.EnvDocument;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The agent's one background thread ({@code bao-injector-agent-refresh}): takes snapshots from a
 * {@link Source} and publishes them to {@link ManagedEnv} and the system properties.
 *
 * <p>It never gives up: on an error it keeps the last values and retries with backoff, and a
 * snapshot from a new sidecar instance replaces the old one whole. One line on stderr when the
 * sidecar is lost and one when it is back; nothing while all is well.
 */
final class Follower implements Runnable {
  private final Source source;
  private final SystemProperties properties = new SystemProperties();
  private final CountDownLatch first = new CountDownLatch(1);
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

  Follower(Source source) {
    this.source = source;
  }

  String where() {
    return source.where();
  }

  /** Starts the daemon thread that keeps the snapshot current. */
  Follower start() {
    Thread t = new Thread(this, "bao-injector-agent-refresh");
    t.setDaemon(true);
    t.start();
    return this;
  }

  private volatile boolean gaveUp;
  private volatile Exception failure;

  /** Why the sidecar refused the last attempt (HTTP 403), or null. */
  String refusal() {
    return Sources.refusal(failure);
  }

  /** {@link Sources#starting} for the last attempt. */
  String starting() {
    return Sources.starting(failure);
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
          Thread.sleep(backoff.next().toMillis());
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
    // after the swap, so a pool built from the new values matches them; the pools' own thread
    // does the pushing
    Pools.published(doc.revision, doc.values, doc.properties);
  }
}
