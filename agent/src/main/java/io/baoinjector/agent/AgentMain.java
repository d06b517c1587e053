package io.baoinjector.agent;

import io.baoinjector.agent.util.Log;
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
 *   <li>It does little: make sure the bootstrap classes are on the boot class path ({@link
 *       BootCheck}), then hand over to {@link Startup}, which waits up to {@code wait} for the
 *       first snapshot and inlines the hooks. No {@code AgentBuilder}, no class-path scanning: time
 *       to {@code main} is a product property.
 *   <li>With the jar under its own name this class is itself loaded from the boot class path. With
 *       a renamed jar it is loaded by the application class loader, and the jar is appended to the
 *       boot path at run time; {@link Startup} (public, taking only JDK types) then resolves to the
 *       boot loader's copy, so the transport and the hooks share one {@code agent.bootstrap}.
 *   <li>Class files are Java 8; anything newer (Unix-domain sockets) is reached reflectively.
 * </ul>
 */
public final class AgentMain {
  private AgentMain() {}

  public static void premain(String args, Instrumentation inst) {
    String problem;
    try {
      problem = BootCheck.ensure(inst);
    } catch (Throwable t) {
      problem = "could not check the boot class path (" + t + ")";
    }
    if (problem == null) {
      try {
        Startup.start(args, inst);
        return;
      } catch (Throwable t) { // Startup catches everything itself; this is for linkage errors
        problem = "could not start (" + t + ")";
      }
    }
    // No hooks are installed: just the user's on-unavailable choice.
    boolean fallBack = args != null && args.contains("on-unavailable=env");
    Log.line(problem + (fallBack ? "; using the real environment (on-unavailable=env)" : ""));
    if (!fallBack) {
      System.err.flush();
      System.exit(1);
    }
  }
}
