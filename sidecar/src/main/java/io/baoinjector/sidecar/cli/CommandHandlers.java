package io.baoinjector.sidecar.cli;

import io.baoinjector.sidecar.config.SidecarConfig;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * The seam between the command line and the running sidecar. {@link Main} parses the options, loads
 * and validates the config, and calls one method here per command; each returns the exit code (0
 * ok, 1 runtime failure, 2 usage or config error).
 *
 * <p>A method may throw: a {@link io.baoinjector.sidecar.config.ConfigException} prints its message
 * and exits 2, anything else prints one line and exits 1 (stack trace only with {@code --debug}).
 * Messages must never contain a secret value.
 *
 * <p>Every method defaults to "not available in this build", so the runtime can be wired one
 * command at a time. {@link #installed()} finds the implementation through {@link ServiceLoader}
 * ({@code META-INF/services/io.baoinjector.sidecar.cli.CommandHandlers}, public no-arg
 * constructor); tests pass their own to {@link Main#run(String[], java.util.Map,
 * java.io.PrintStream, java.io.PrintStream, CommandHandlers)}.
 */
public interface CommandHandlers {

  /** {@code run}: the long-running sidecar; returns when it has shut down. */
  default int run(CommandContext ctx, SidecarConfig config) {
    return notAvailable(ctx, "run");
  }

  /** {@code render}: authenticate, fetch, write every file once; never revokes the token. */
  default int render(CommandContext ctx, SidecarConfig config) {
    return notAvailable(ctx, "render");
  }

  /** {@code exec}: run the child with the mapped variables; returns the child's exit code. */
  default int exec(CommandContext ctx, SidecarConfig config, ExecRequest request) {
    return notAvailable(ctx, "exec");
  }

  /** {@code env}: print the resolved variables to {@code ctx.out()}; never revokes the token. */
  default int env(CommandContext ctx, SidecarConfig config, EnvFormat format) {
    return notAvailable(ctx, "env");
  }

  /**
   * {@code check --online}, after the offline check passed and its summary was printed: log in,
   * check the token can read every mapped path, print OpenBao's health; never revokes the token.
   */
  default int checkOnline(CommandContext ctx, SidecarConfig config) {
    return notAvailable(ctx, "check --online");
  }

  /** {@code get}: print one value read from a running sidecar's socket. */
  default int get(CommandContext ctx, String name, Path socket) {
    return notAvailable(ctx, "get");
  }

  /** Prints that {@code command} is not built in and returns exit code 1. */
  static int notAvailable(CommandContext ctx, String command) {
    ctx.err().println("bao-injector: " + command + " is not available in this build");
    return 1;
  }

  /** The implementation on the class path, or one where every command is not available. */
  static CommandHandlers installed() {
    return ServiceLoader.load(CommandHandlers.class, CommandHandlers.class.getClassLoader())
        .findFirst()
        .orElseGet(() -> new CommandHandlers() {});
  }
}
