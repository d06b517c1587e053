package io.baoinjector.sidecar.output.exec;

import io.baoinjector.sidecar.util.Closing;
import io.baoinjector.sidecar.util.Daemons;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an exec child's stdout and stderr go: straight to the sidecar's own (inherited, the
 * default; or redirected, in tests), or, with {@code --mask}, through a pipe and a pump thread per
 * stream that conceals every value the child has been given.
 *
 * <p>Pipes, not a pseudo-terminal: the JDK cannot open one without native code or {@code
 * script(1)}. A child that checks {@code isatty} therefore sees no terminal under {@code --mask}
 * (block buffering, no colour), and stdout and stderr, pumped separately, may interleave
 * differently than on a terminal. stdin stays inherited.
 */
final class ChildOutput {
  private static final Logger log = LoggerFactory.getLogger(ChildOutput.class);

  /** How long the pumps may take to reach end of stream after the child exited. */
  static final Duration DRAIN_GRACE = Duration.ofSeconds(2);

  private final ProcessBuilder.Redirect stdout;
  private final ProcessBuilder.Redirect stderr;
  private final MaskedValues values;
  private final OutputStream maskedOut;
  private final OutputStream maskedErr;
  private List<Thread> pumps = List.of();

  private ChildOutput(
      ProcessBuilder.Redirect stdout,
      ProcessBuilder.Redirect stderr,
      MaskedValues values,
      OutputStream maskedOut,
      OutputStream maskedErr) {
    this.stdout = stdout;
    this.stderr = stderr;
    this.values = values;
    this.maskedOut = maskedOut;
    this.maskedErr = maskedErr;
  }

  static ChildOutput redirect(ProcessBuilder.Redirect stdout, ProcessBuilder.Redirect stderr) {
    return new ChildOutput(
        Objects.requireNonNull(stdout, "stdout == null"),
        Objects.requireNonNull(stderr, "stderr == null"),
        null,
        null,
        null);
  }

  /** Concealed with {@code maskMinLength} when given, else the sidecar's own stdout and stderr. */
  static ChildOutput of(OptionalInt maskMinLength) {
    return maskMinLength.isPresent()
        ? masked(maskMinLength.getAsInt())
        : redirect(ProcessBuilder.Redirect.INHERIT, ProcessBuilder.Redirect.INHERIT);
  }

  /** Concealed, to the sidecar's own stdout and stderr (file descriptors 1 and 2, unbuffered). */
  static ChildOutput masked(int minLength) {
    return masked(
        minLength,
        new FileOutputStream(FileDescriptor.out),
        new FileOutputStream(FileDescriptor.err));
  }

  static ChildOutput masked(int minLength, OutputStream out, OutputStream err) {
    return new ChildOutput(
        ProcessBuilder.Redirect.PIPE,
        ProcessBuilder.Redirect.PIPE,
        new MaskedValues(minLength),
        Objects.requireNonNull(out, "out == null"),
        Objects.requireNonNull(err, "err == null"));
  }

  /**
   * Records values a child is about to be given (a start, a restart, or a reload signal): from then
   * on they are concealed in every child's output, the running one's included.
   */
  void given(Map<String, String> mapped) {
    if (values != null) {
      values.add(mapped);
    }
  }

  void configure(ProcessBuilder pb) {
    pb.redirectOutput(stdout).redirectError(stderr);
  }

  /** Starts the pumps for a child just started. */
  synchronized void attach(Process p) {
    if (values == null) {
      return;
    }
    pumps =
        List.of(
            pump(new OutputPump(p.getInputStream(), maskedOut, values), "stdout", p),
            pump(new OutputPump(p.getErrorStream(), maskedErr, values), "stderr", p));
  }

  private static Thread pump(Runnable r, String stream, Process p) {
    return Daemons.start("bao-injector-exec-" + stream + "-" + p.pid(), r);
  }

  /**
   * After the child exited: waits for its pumps to pass on the rest. A process the child left
   * behind may still hold the pipes open; then, after {@link #DRAIN_GRACE}, its pipes are closed
   * and its pump ends at its next write or exit.
   */
  void awaitDrained(Process p, String program) throws InterruptedException {
    List<Thread> ts;
    synchronized (this) {
      ts = pumps;
    }
    long deadline = System.nanoTime() + DRAIN_GRACE.toNanos();
    for (Thread t : ts) {
      t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    if (ts.stream().anyMatch(Thread::isAlive)) {
      log.warn(
          "exec --mask: a process {} left behind still holds its stdout/stderr; closing them",
          program);
      Closing.quietly(p.getInputStream());
      Closing.quietly(p.getErrorStream());
    }
  }

  /** True while a pump runs (tests). */
  synchronized boolean pumping() {
    return pumps.stream().anyMatch(Thread::isAlive);
  }
}
