package io.baoinjector.agent;

import io.baoinjector.agent.bootstrap.Hooks;
import io.baoinjector.agent.install.Installer;
import io.baoinjector.agent.transport.Log;
import io.baoinjector.agent.transport.Transport;
import java.lang.instrument.Instrumentation;
import java.nio.file.Paths;

/**
 * Wires transport, first snapshot and hooks, in that order: the hooks go in only once the first
 * values are published, so {@code main} never sees a half-started agent. Loaded only after {@link
 * BootCheck} succeeded, since it links against {@code agent.bootstrap}.
 */
final class Startup {
  private Startup() {}

  static void run(Options o, Instrumentation inst) throws Exception {
    Hooks.setChildren(o.children);
    Transport transport =
        o.file != null
            ? Transport.file(
                Paths.get(o.file), o.propertiesFile == null ? null : Paths.get(o.propertiesFile))
            : Transport.socket(o.socket);
    if (transport == null) {
      AgentMain.unavailable(
          o,
          "the socket transport needs Java 16+ (this JVM is "
              + System.getProperty("java.specification.version")
              + "); use file=PATH with a dotenv file rendered by the sidecar");
      return;
    }
    transport.start();
    if (!transport.awaitFirst(o.waitMillis)) {
      String line = "sidecar not reachable at " + transport.where() + " after " + o.waitText;
      if (o.failWhenUnavailable) {
        Log.line(line);
        AgentMain.exit(1);
        return;
      }
      Log.line(line + "; using the real environment until it is (on-unavailable=env)");
    }
    Installer.install(inst);
  }
}
