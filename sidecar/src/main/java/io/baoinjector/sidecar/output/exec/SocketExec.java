package io.baoinjector.sidecar.output.exec;

import io.baoinjector.shared.Backoff;
import io.baoinjector.shared.Durations;
import io.baoinjector.shared.wire.EnvDocument;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.output.OnChange;
import io.baoinjector.sidecar.output.socket.EnvClient;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.util.Daemons;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code bao-injector exec --socket PATH -- CMD…}: runs CMD with the values a running sidecar
 * serves on its socket instead of logging in, so a second process needs no OpenBao credentials. The
 * child is run by the same {@link ExecRunner} as config-driven {@code exec} (same environment
 * rules, signals, {@code --on-change}).
 *
 * <p>With an on-change action, one thread follows the long-poll and hands each new document to the
 * runner, which acts only when the child's values differ: a restarted sidecar starts its revisions
 * over under a new instance id, so revisions are compared for "something new" only, never for
 * "newer". Losing the sidecar leaves the child on its values; the thread retries with backoff and
 * picks up whichever instance answers next.
 */
public final class SocketExec {
  /** How long one long-poll parks (as the agent's). */
  static final Duration LONG_POLL = Duration.ofSeconds(30);

  private final EnvClient client;
  private final Set<String> only;
  private final Duration wait;
  private final PrintStream err;
  // the one retry schedule: first the startup wait, then (after it, on the follow thread) losses
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

  /**
   * @param only the names the child gets; empty: every value the sidecar serves
   * @param wait how long to wait for a ready sidecar at startup
   * @param err where the one-line failures and lost/reached lines go
   */
  public SocketExec(EnvClient client, List<String> only, Duration wait, PrintStream err) {
    this.client = Objects.requireNonNull(client, "client == null");
    this.only = new LinkedHashSet<>(only); // as given, for the message naming unknown ones
    this.wait = Objects.requireNonNull(wait, "wait == null");
    this.err = Objects.requireNonNull(err, "err == null");
  }

  /**
   * Waits for the sidecar's first snapshot, starts the child, follows changes when {@code onChange}
   * acts on them, and returns the child's exit code: 1 when no ready sidecar answered within the
   * wait, 2 when {@code --only} names something the sidecar does not serve, 127 when CMD cannot
   * start. {@code options}: {@code --jitter} and {@code --mask}, as for config-driven exec.
   */
  public int run(
      List<String> command, Set<String> passEnv, OnChange onChange, ExecRunner.Options options) {
    EnvDocument first;
    try {
      first = awaitFirst();
    } catch (IOException e) {
      err.println("bao-injector: exec: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
    Set<String> unknown = new LinkedHashSet<>(only);
    unknown.removeAll(first.values.keySet());
    if (!unknown.isEmpty()) {
      err.println(
          "bao-injector: exec --only: the sidecar at %s serves no %s (it serves %s)"
              .formatted(
                  client.socket(),
                  String.join(", ", unknown),
                  first.values.isEmpty() ? "no values" : String.join(", ", first.values.keySet())));
      return 2;
    }
    ExecRunner runner =
        new ExecRunner(command, passEnv, onChange, ExecRunner.DEFAULT_STOP_TIMEOUT, options);
    Thread follower = null;
    if (onChange.action() != OnChange.Action.NONE) {
      follower = Daemons.start("bao-injector-exec-socket", () -> follow(first, runner));
    }
    try {
      return runner.runReporting(snapshot(first), err);
    } finally {
      if (follower != null) {
        follower.interrupt();
      }
    }
  }

  /** The first snapshot of a ready sidecar, or a one-line reason once {@link #wait} is over. */
  private EnvDocument awaitFirst() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      try {
        // a starting sidecar parks this until it is ready or the time is up: no spinning on 503s
        return client.next(null, Duration.ofNanos(Math.max(0, left)));
      } catch (EnvClient.Refused e) {
        throw new IOException(client.socket() + ": " + e.getMessage());
      } catch (EnvClient.Starting e) {
        if (System.nanoTime() - deadline >= 0) {
          throw new IOException(
              "sidecar at %s is still starting after %s%s"
                  .formatted(
                      client.socket(), waitText(), e.detail.isEmpty() ? "" : ": " + e.detail));
        }
        // a 503 before the deadline: the sidecar was restarting or is an older one; retry
        Thread.sleep(Math.min(backoff.next().toMillis(), millisLeft(deadline)));
      } catch (IOException e) {
        if (System.nanoTime() - deadline >= 0) {
          throw new IOException(
              ("sidecar not reachable at %s after %s (%s; is `bao-injector run` up there? check"
                      + " --socket, or raise --wait)")
                  .formatted(client.socket(), waitText(), e.getMessage()));
        }
        Thread.sleep(Math.min(backoff.next().toMillis(), millisLeft(deadline)));
      }
    }
  }

  private static long millisLeft(long deadline) {
    return Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
  }

  private String waitText() {
    return wait.isZero() ? "0s" : Durations.format(wait.toMillis());
  }

  /** The follow thread: long-polls until interrupted, handing every new document to the runner. */
  private void follow(EnvDocument first, ExecRunner runner) {
    backoff.reset();
    EnvDocument last = first;
    boolean lost = false;
    while (!Thread.currentThread().isInterrupted()) {
      try {
        EnvDocument next = client.next(last, LONG_POLL);
        if (lost) {
          err.println(
              "bao-injector: exec: reached the sidecar at %s again%s"
                  .formatted(
                      client.socket(),
                      next.instance.equals(last.instance) ? "" : " (a new instance)"));
          lost = false;
        }
        backoff.reset();
        if (!next.instance.equals(last.instance) || next.revision != last.revision) {
          runner.onSnapshot(snapshot(last), snapshot(next));
        }
        last = next;
      } catch (ClosedByInterruptException | InterruptedIOException e) {
        return;
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        if (!lost) {
          err.println(
              ("bao-injector: exec: lost the sidecar at %s (%s); the child keeps its values,"
                      + " retrying")
                  .formatted(client.socket(), e.getMessage()));
          lost = true;
        }
        try {
          Thread.sleep(backoff.next().toMillis());
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** The document as the snapshot the runner takes: the {@code --only} names, values only. */
  private Snapshot snapshot(EnvDocument d) {
    Instant now = Instant.now();
    Map<String, Snapshot.Entry> values = new LinkedHashMap<>();
    d.values.forEach(
        (name, value) -> {
          if (only.isEmpty() || only.contains(name)) {
            values.put(
                name,
                new Snapshot.Entry(SecretValue.of(value), null, client.socket().toString(), now));
          }
        });
    return new Snapshot(d.instance, d.revision, values, Map.of(), Set.of(), false, true, now);
  }
}
