package io.baoinjector.sidecar.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
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

  /** Every method, the real defaults included, fails: no test here may log in for real. */
  private static final CommandHandlers NO_HANDLER =
      (CommandHandlers)
          Proxy.newProxyInstance(
              CommandHandlers.class.getClassLoader(),
              new Class<?>[] {CommandHandlers.class},
              (proxy, method, args) -> {
                throw new AssertionError(method.getName() + " reached its handler");
              });

  @Override
  public String toString() {
    return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
  }
}
