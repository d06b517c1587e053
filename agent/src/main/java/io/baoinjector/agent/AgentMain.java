package io.baoinjector.agent;

import io.baoinjector.agent.transport.Log;
import java.lang.instrument.Instrumentation;

/**
 * Entry point of {@code -javaagent:bao-injector-agent.jar[=OPTIONS]}.
 *
 * <p>Constraints that shape this class:
 *
 * <ul>
 *   <li>{@code premain} never throws: an exception here would abort the JVM with a stack trace.
 *       Every failure is one line on stderr followed by the user's choice of {@code
 *       on-unavailable}: {@code fail} exits the JVM (status 1; 2 for bad options), {@code env} lets
 *       the application run with its real environment.
 *   <li>It does little: parse options, make sure the bootstrap classes are on the boot class path
 *       ({@link BootCheck}), wait up to {@code wait} for the first snapshot, then inline the hooks.
 *       No {@code AgentBuilder}, no class-path scanning: time to {@code main} is a product
 *       property.
 *   <li>It links against nothing in {@code agent.bootstrap} until {@link BootCheck} has run (see
 *       there why), so the wiring lives in {@link Startup}.
 *   <li>Class files are Java 8; anything newer (Unix-domain sockets) is reached reflectively.
 * </ul>
 */
public final class AgentMain {
  private AgentMain() {}

  public static void premain(String args, Instrumentation inst) {
    Options options;
    try {
      options = Options.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      Log.line(e.getMessage());
      if (args != null && args.contains("on-unavailable=env")) {
        return;
      }
      exit(2);
      return;
    } catch (Throwable t) {
      Log.line("internal error reading options (" + t + "); running with the real environment");
      return;
    }
    try {
      String bootProblem = BootCheck.ensure(inst);
      if (bootProblem != null) {
        unavailable(options, bootProblem);
        return;
      }
      Startup.run(options, inst);
    } catch (Throwable t) {
      unavailable(
          options,
          "could not start ("
              + t
              + (t.getCause() != null ? " caused by " + t.getCause() : "")
              + ")");
    }
  }

  /** One line, then {@code on-unavailable}: exit, or carry on with the real environment. */
  static void unavailable(Options options, String problem) {
    if (options.failWhenUnavailable) {
      Log.line(problem);
      exit(1);
    } else {
      Log.line(problem + "; using the real environment (on-unavailable=env)");
    }
  }

  static void exit(int status) {
    System.err.flush();
    System.exit(status);
  }
}
