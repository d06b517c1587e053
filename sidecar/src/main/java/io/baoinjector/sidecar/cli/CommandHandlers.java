package io.baoinjector.sidecar.cli;

import io.baoinjector.sidecar.Sidecar;
import io.baoinjector.sidecar.config.MaskSettings;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.output.exec.SocketExec;
import io.baoinjector.sidecar.output.socket.EnvClient;
import io.baoinjector.sidecar.output.socket.RefreshClient;
import io.baoinjector.sidecar.output.socket.SecretClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;

/**
 * The seam between the command line and the sidecar: {@link Main} parses the options, loads and
 * validates the config, and calls one method here per command; each returns the exit code (0 ok, 1
 * runtime failure, 2 usage or config error). The defaults are the real commands, each one call on
 * {@link Sidecar} (or a tool) plus its printing; tests pass their own to {@link Main#run(String[],
 * java.util.Map, java.io.PrintStream, java.io.PrintStream, CommandHandlers)}.
 *
 * <p>A method may throw: a {@link io.baoinjector.sidecar.config.ConfigException} prints its message
 * and exits 2, anything else prints one line and exits 1 (stack trace only with {@code --debug}).
 * Messages must never contain a secret value.
 */
public interface CommandHandlers {

  /** The real commands. */
  CommandHandlers SIDECAR = new CommandHandlers() {};

  /** {@code run}: the long-running sidecar; returns when it has shut down. */
  default int run(CommandContext ctx, SidecarConfig config) {
    return sidecar(ctx, config).run();
  }

  /** {@code render}: authenticate, fetch, write every file once; never revokes the token. */
  default int render(CommandContext ctx, SidecarConfig config) {
    return sidecar(ctx, config).renderOnce();
  }

  /** {@code exec}: run the child with the mapped variables; returns the child's exit code. */
  default int exec(CommandContext ctx, SidecarConfig config, ExecRequest request) {
    return sidecar(ctx, config)
        .exec(
            request.command(),
            new LinkedHashSet<>(request.passEnv()),
            request.onChange(),
            request.options(config.mask()));
  }

  /**
   * {@code exec --socket}: run the child with a running sidecar's values (and their changes), no
   * login of its own; returns the child's exit code.
   */
  default int execFromSocket(CommandContext ctx, SocketExecRequest request) {
    ExecRequest exec = request.exec();
    return new SocketExec(
            new EnvClient(request.socket()), request.only(), request.startupWait(), ctx.err())
        .run(
            exec.command(),
            new LinkedHashSet<>(exec.passEnv()),
            exec.onChange(),
            exec.options(MaskSettings.OFF)); // no config: --mask alone turns it on
  }

  /** {@code env}: print the resolved variables to {@code ctx.out()}; never revokes the token. */
  default int env(CommandContext ctx, SidecarConfig config, EnvFormat format) {
    Optional<Map<String, String>> values = sidecar(ctx, config).resolveOnce();
    values.ifPresent(v -> format.print(v, ctx.out(), ctx.err()));
    return values.isPresent() ? 0 : 1;
  }

  /**
   * {@code check --online}, after the offline check passed and its summary was printed: log in,
   * check the token can read every mapped path, print OpenBao's health; never revokes the token.
   */
  default int checkOnline(CommandContext ctx, SidecarConfig config) {
    return sidecar(ctx, config).check();
  }

  /** {@code get}: print one value read from a running sidecar's socket, as is (no newline). */
  default int get(CommandContext ctx, String name, Path socket) {
    try {
      ctx.out().print(SecretClient.get(socket, name));
      ctx.out().flush();
      return 0;
    } catch (IOException e) {
      ctx.err().println("bao-injector: " + e.getMessage());
      return 1;
    }
  }

  /** {@code refresh}: a running sidecar re-reads every KV path; prints {@code revision N}. */
  default int refresh(CommandContext ctx, Path socket, Duration wait) {
    try {
      ctx.out().println("revision " + RefreshClient.refresh(socket, wait));
      return 0;
    } catch (IOException e) {
      ctx.err().println("bao-injector: " + e.getMessage());
      return 1;
    }
  }

  private static Sidecar sidecar(CommandContext ctx, SidecarConfig config) {
    return new Sidecar(config, ctx.out(), ctx.err());
  }
}
