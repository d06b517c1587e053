package io.baoinjector.agent;

import io.baoinjector.agent.bootstrap.Hooks;
import io.baoinjector.agent.bootstrap.Pools;
import io.baoinjector.agent.install.Installer;
import io.baoinjector.agent.transport.Source;
import io.baoinjector.agent.transport.Sources;
import io.baoinjector.agent.util.Log;
import java.lang.instrument.Instrumentation;
import java.nio.file.Paths;

/**
 * Wires options, transport, first snapshot and hooks, in that order: the hooks go in only once the
 * first values are published, so {@code main} never sees a half-started agent.
 *
 * <p>Public and typed with JDK classes only because {@link AgentMain} may live in another class
 * loader (see there); everything else stays package-private.
 */
public final class Startup {
  private Startup() {}

  /** Never throws; on failure prints one line and applies {@code on-unavailable}. */
  public static void start(String args, Instrumentation inst) {
    Options options;
    try {
      options = Options.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      Log.line(e.getMessage());
      if (args == null || !args.contains("on-unavailable=env")) {
        exit(2);
      }
      return;
    } catch (Throwable t) {
      Log.line("internal error reading options (" + t + "); running with the real environment");
      return;
    }
    try {
      run(options, inst);
    } catch (Throwable t) {
      unavailable(options, "could not start (" + t + ")");
    }
  }

  private static void run(Options o, Instrumentation inst) throws Exception {
    Hooks.setChildren(o.children);
    Pools.setMode(o.pools);
    Source source =
        o.file != null
            ? Sources.file(
                Paths.get(o.file), o.propertiesFile == null ? null : Paths.get(o.propertiesFile))
            : Sources.socket(o.socket);
    if (source == null) {
      unavailable(
          o,
          "the socket transport needs Java 16+ (this JVM is "
              + System.getProperty("java.specification.version")
              + "); use file=PATH with a dotenv file rendered by the sidecar");
      return;
    }
    Follower follower = new Follower(source).start();
    if (!follower.awaitFirst(o.waitMillis)) {
      String starting = follower.starting();
      String why = follower.refusal();
      String line =
          starting != null
              ? "sidecar at "
                  + follower.where()
                  + " is still starting after "
                  + o.waitText
                  + (starting.isEmpty() ? "" : ": " + starting)
              : "sidecar not reachable at "
                  + follower.where()
                  + " after "
                  + o.waitText
                  + (why == null ? "" : " (" + why + ")");
      if (o.failWhenUnavailable) {
        Log.line(line);
        exit(1);
        return;
      }
      Log.line(
          line
              + "; using the real environment until it is"
              + (starting != null ? " ready" : "")
              + " (on-unavailable=env)");
    }
    Installer.install(inst, o.configPlaceholders);
    if (o.springRefresh) {
      Installer.installSpring(inst);
    }
    if (o.pools != Pools.OFF) {
      Installer.installPools(inst);
    }
  }

  /** One line, then {@code on-unavailable}: exit, or carry on with the real environment. */
  private static void unavailable(Options options, String problem) {
    if (options.failWhenUnavailable) {
      Log.line(problem);
      exit(1);
    } else {
      Log.line(problem + "; using the real environment (on-unavailable=env)");
    }
  }

  private static void exit(int status) {
    System.err.flush();
    System.exit(status);
  }
}
