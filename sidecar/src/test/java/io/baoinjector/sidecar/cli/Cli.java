package io.baoinjector.sidecar.cli;

import io.baoinjector.sidecar.config.SidecarConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs {@link Main} in-process and keeps what it printed. */
final class Cli {
  final int exit;
  final String out;
  final String err;

  private Cli(int exit, String out, String err) {
    this.exit = exit;
    this.out = out;
    this.err = err;
  }

  static Cli run(Map<String, String> env, CommandHandlers handlers, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Main.run(args, env, o, e, handlers);
    }
    return new Cli(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** For parsing and offline checks: a command that reaches its handler fails the test. */
  static Cli run(Map<String, String> env, String... args) {
    return run(env, NO_HANDLER, args);
  }

  private static final CommandHandlers NO_HANDLER =
      new CommandHandlers() {
        @Override
        public int run(CommandContext ctx, SidecarConfig config) {
          throw new AssertionError("run reached its handler");
        }

        @Override
        public int render(CommandContext ctx, SidecarConfig config) {
          throw new AssertionError("render reached its handler");
        }

        @Override
        public int exec(CommandContext ctx, SidecarConfig config, ExecRequest request) {
          throw new AssertionError("exec reached its handler");
        }

        @Override
        public int env(CommandContext ctx, SidecarConfig config, EnvFormat format) {
          throw new AssertionError("env reached its handler");
        }

        @Override
        public int checkOnline(CommandContext ctx, SidecarConfig config) {
          throw new AssertionError("check --online reached its handler");
        }

        @Override
        public int get(CommandContext ctx, String name, Path socket) {
          throw new AssertionError("get reached its handler");
        }
      };

  @Override
  public String toString() {
    return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
  }
}
