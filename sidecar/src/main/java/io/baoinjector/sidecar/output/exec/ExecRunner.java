package io.baoinjector.sidecar.output.exec;

import io.baoinjector.sidecar.output.OnChange;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotListener;
import io.baoinjector.sidecar.util.Daemons;
import io.baoinjector.sidecar.util.Jitter;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bao-injector exec -- CMD…}: runs CMD with the mapped names in its environment (see {@link
 * ChildEnvironment} for what is stripped), stdio inherited, signals forwarded, and returns its exit
 * code. Register it with the hub to apply {@code --on-change}; the action runs on its own thread,
 * and only when the environment the child would get actually differs from the one it has. A
 * jittered restart waits a random delay first (changes meanwhile join it); see {@link ChildOutput}
 * for --mask.
 */
public final class ExecRunner implements SnapshotListener {
  private static final Logger log = LoggerFactory.getLogger(ExecRunner.class);
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

  private final List<String> command;
  private final Set<String> passEnv;
  private final OnChange policy;
  private final Duration stopTimeout;
  private final Map<String, String> realEnv;
  private final ChildOutput output;
  private final boolean trapSignals;
  private final Jitter jitter;
  private final Jitter.Delay delay;
  private final ExecutorService actions;
  private final ChildLauncher launcher = new ChildLauncher();
  private final Object lock = new Object();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Process child;
  private Map<String, String> childMapped;

  /** The values of the newest snapshot; every on-change action applies these. */
  private Map<String, String> latest;

  /** Values for the next child, set by an on-change restart; the run thread starts it. */
  private Map<String, String> restartWith;

  private boolean stopping;
  private int starts;
  private UnaryOperator<Map<String, String>> expand = UnaryOperator.identity();

  /** {@code --jitter} and {@code --mask}: a restart's most wait, the masked values' min length. */
  public record Options(Jitter jitter, OptionalInt maskMinLength) {
    public static final Options NONE = new Options(Jitter.NONE, OptionalInt.empty());
  }

  /** With {@code --jitter} (a restart's most wait) and {@code --mask} (its minimum length). */
  public ExecRunner(
      List<String> command,
      Set<String> passEnv,
      OnChange policy,
      Duration stopTimeout,
      Options options) {
    this(
        command,
        passEnv,
        policy,
        stopTimeout,
        System.getenv(),
        ChildOutput.of(options.maskMinLength()),
        true,
        options.jitter(),
        null);
  }

  ExecRunner(
      List<String> command,
      Set<String> passEnv,
      OnChange policy,
      Duration stopTimeout,
      Map<String, String> realEnv,
      ChildOutput output,
      boolean trapSignals,
      Jitter jitter,
      Jitter.Delay delay) {
    if (command == null || command.isEmpty()) {
      throw new IllegalArgumentException(
          "exec: no command given (bao-injector exec -c FILE -- CMD ARGS…)");
    }
    this.command = List.copyOf(command);
    this.passEnv = Set.copyOf(passEnv);
    this.policy = Objects.requireNonNull(policy, "policy == null");
    if (policy.action() == OnChange.Action.COMMAND) {
      throw new IllegalArgumentException("exec: on-change runs no command; use restart or signal");
    }
    this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout == null");
    this.realEnv = Map.copyOf(realEnv);
    this.output = Objects.requireNonNull(output, "output == null");
    this.trapSignals = trapSignals;
    this.jitter = Objects.requireNonNull(jitter, "jitter == null");
    if (!jitter.isNone() && policy.action() != OnChange.Action.RESTART) {
      throw new IllegalArgumentException("--jitter: only with --on-change restart");
    }
    // null: the clock, cut short by a stop
    this.delay = delay != null ? delay : d -> !stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
    this.actions = Executors.newSingleThreadExecutor(Daemons.named("bao-injector-exec-on-change"));
  }

  /**
   * Starts the child with {@code initial}'s values, forwards TERM/INT/HUP/USR1/USR2 to it, and
   * blocks until it exits for good (restarts in between are followed). Returns its exit code (128+N
   * when it was killed by signal N, as a shell reports it).
   *
   * <p>Every child is started from the calling thread, which stays here as long as any child runs:
   * the child's parent-death signal (see {@link ChildLauncher}) fires when that thread ends.
   *
   * @throws IOException when CMD cannot be started (not found, not executable, no setpriv)
   */
  public int run(Snapshot initial) throws IOException, InterruptedException {
    // Trap first: a signal that arrives before the child exists must not kill the sidecar and
    // orphan the child; a TERM/INT received meanwhile is passed on as soon as the child runs.
    if (trapSignals) {
      ChildSignals.trap(this::forward);
    }
    synchronized (lock) {
      latest = initial.revealValues();
      child = start(latest);
      if (stopping) {
        ChildSignals.send(child, "TERM");
      }
    }
    while (true) {
      Process p;
      synchronized (lock) {
        p = child;
      }
      int code = p.waitFor();
      output.awaitDrained(p, command.get(0));
      synchronized (lock) {
        if (restartWith != null && !stopping) {
          Map<String, String> values = restartWith;
          restartWith = null;
          try {
            child = start(values);
            lock.notifyAll();
            continue;
          } catch (IOException e) {
            log.error("exec: cannot restart {}: {}", command.get(0), e.getMessage());
          }
        }
        stopping = true;
        stopped.countDown();
        restartWith = null;
        lock.notifyAll();
        actions.shutdownNow();
        return code;
      }
    }
  }

  /**
   * {@link #run} for a command: a CMD that cannot start is one line on {@code err} and exit 127, an
   * interrupt 130.
   */
  public int runReporting(Snapshot initial, PrintStream err) {
    try {
      return run(initial);
    } catch (IOException e) {
      // the message already reads "exec: cannot start CMD: why" (or names setpriv)
      err.println("bao-injector: " + e.getMessage());
      return 127;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  /** Rewrites the resolved names before each child gets them (env references); before run. */
  public ExecRunner expanding(UnaryOperator<Map<String, String>> expand) {
    this.expand = Objects.requireNonNull(expand, "expand == null");
    return this;
  }

  /**
   * Sends {@code signal} (TERM, INT, HUP...) to the running child; a TERM/INT also stops restarts.
   */
  public void forward(String signal) {
    Process p;
    synchronized (lock) {
      if (signal.equals("TERM") || signal.equals("INT")) {
        stopping = true;
        stopped.countDown(); // ends a jitter wait
      }
      p = child;
    }
    if (p != null && p.isAlive()) {
      ChildSignals.send(p, signal);
    }
  }

  @Override
  public void onSnapshot(Snapshot previous, Snapshot next) {
    if (policy.action() == OnChange.Action.NONE) {
      return;
    }
    synchronized (lock) {
      latest = next.revealValues();
    }
    try {
      actions.execute(this::apply);
    } catch (RejectedExecutionException e) {
      // the child has exited for good
    }
  }

  private boolean changed() {
    return child != null && !stopping && !latest.equals(childMapped);
  }

  private void apply() {
    Process p;
    try {
      synchronized (lock) {
        if (!changed()) {
          return; // nothing the child sees has changed
        }
        if (policy.action() == OnChange.Action.SIGNAL) {
          childMapped = latest;
          output.given(expand.apply(latest));
          log.info(
              "exec: values changed; sending SIG{} to {} (pid {})",
              policy.signal(),
              command.get(0),
              child.pid());
          ChildSignals.send(child, policy.signal());
          return;
        }
      }
      if (!jitter.isNone()) {
        Duration d = jitter.next();
        log.info("exec: values changed; restarting {} in {} (--jitter)", command.get(0), d);
        if (!delay.await(d)) {
          return;
        }
      }
      synchronized (lock) {
        if (!changed()) {
          return;
        }
        log.info("exec: values changed; restarting {} (pid {})", command.get(0), child.pid());
        restartWith = latest;
        p = child;
      }
      // run() starts the next child once this one has exited (see there why that thread)
      ChildSignals.terminate(p, stopTimeout, command.get(0));
      synchronized (lock) {
        while (restartWith != null && !stopping) {
          lock.wait();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Process start(Map<String, String> mapped) throws IOException {
    Map<String, String> given = expand.apply(mapped);
    output.given(given);
    Process p = launcher.start(command, ChildEnvironment.build(realEnv, given, passEnv), output);
    output.attach(p);
    childMapped = mapped;
    starts++;
    return p;
  }

  /** How many times a child was started (tests). */
  int starts() {
    synchronized (lock) {
      return starts;
    }
  }

  /** The current child's pid, or -1. */
  public long pid() {
    synchronized (lock) {
      return child == null ? -1 : child.pid();
    }
  }
}
