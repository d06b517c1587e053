package io.baoinjector.sidecar.cli;

import io.baoinjector.sidecar.config.ConfigLoader;
import io.baoinjector.sidecar.config.SidecarConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** One invocation's surroundings, shared by the command objects picocli fills in. */
final class Session {
  final Map<String, String> env;
  final PrintStream out;
  final PrintStream err;
  final CommandHandlers handlers;

  /** Set by {@code --debug} (on any command) before a command runs. */
  boolean debugOption;

  Session(Map<String, String> env, PrintStream out, PrintStream err, CommandHandlers handlers) {
    this.env = Map.copyOf(env);
    this.out = out;
    this.err = err;
    this.handlers = handlers;
  }

  boolean debug() {
    String v = env.get("BAO_INJECTOR_DEBUG");
    return debugOption || "1".equals(v) || "true".equalsIgnoreCase(v);
  }

  CommandContext context() {
    return new CommandContext(env, out, err, debug());
  }

  SidecarConfig load(Path config) {
    return ConfigLoader.load(config, env);
  }
}
