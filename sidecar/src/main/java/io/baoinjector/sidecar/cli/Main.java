package io.baoinjector.sidecar.cli;

import io.baoinjector.sidecar.config.ConfigException;
import io.baoinjector.sidecar.tools.ImportCommand;
import io.baoinjector.sidecar.tools.RotateCommand;
import io.baoinjector.sidecar.tools.policy.ApproleSetupCommand;
import io.baoinjector.sidecar.tools.policy.PolicyCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;

/**
 * The {@code bao-injector} command line. Parses the command and its options, loads the config, and
 * calls the {@link CommandHandlers}. Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad
 * config.
 *
 * <p>User mistakes (unknown options, a bad config) are one line on stderr, never a stack trace; an
 * unexpected exception is one line too, with the stack trace only under {@code --debug} or {@code
 * BAO_INJECTOR_DEBUG=1}.
 */
public final class Main {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    configureLogging(args, System.getenv());
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /**
   * Before the first logger exists: {@code run} logs at info, one-shot commands ({@code env},
   * {@code render}, {@code check}...) only warnings, so their output stays what the user asked for.
   * {@code BAO_INJECTOR_LOG_LEVEL} (trace, debug, info, warn, error) overrides both.
   */
  static void configureLogging(String[] args, Map<String, String> env) {
    String key = "org.slf4j.simpleLogger.defaultLogLevel";
    if (System.getProperty(key) != null) {
      return;
    }
    String level = env.get("BAO_INJECTOR_LOG_LEVEL");
    if (level == null || level.isBlank()) {
      boolean longRunning = false;
      for (String a : args) {
        if (!a.startsWith("-")) {
          longRunning = a.equals("run");
          break;
        }
      }
      level = longRunning ? "info" : "warn";
    }
    System.setProperty(key, level.trim().toLowerCase(java.util.Locale.ROOT));
  }

  /** Runs one command in-process with the {@linkplain CommandHandlers#SIDECAR real} handlers. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return run(args, env, out, err, CommandHandlers.SIDECAR);
  }

  /**
   * Runs one command in-process.
   *
   * @param env the environment the command sees (config defaults, exec's child, debug switch)
   * @return the exit code
   */
  public static int run(
      String[] args,
      Map<String, String> env,
      PrintStream out,
      PrintStream err,
      CommandHandlers handlers) {
    Objects.requireNonNull(args, "args == null");
    Objects.requireNonNull(env, "env == null");
    Objects.requireNonNull(out, "out == null");
    Objects.requireNonNull(err, "err == null");
    Objects.requireNonNull(handlers, "handlers == null");
    Session session = new Session(env, out, err, handlers);
    CommandLine cli = commandLine(session);
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  static CommandLine commandLine(Session session) {
    CommandLine cli = new CommandLine(new Commands.Root(session));
    cli.addSubcommand(new Commands.Run());
    cli.addSubcommand(new Commands.Render());
    cli.addSubcommand(new Commands.Exec());
    cli.addSubcommand(new Commands.Env());
    cli.addSubcommand(new Commands.Check());
    cli.addSubcommand(new Commands.Get());
    cli.addSubcommand(new RefreshCommand());
    // the lifecycle tools: each logs in through tools.Connection on its own
    cli.addSubcommand(new ImportCommand(session.env));
    cli.addSubcommand(new RotateCommand(session.env));
    cli.addSubcommand(new PolicyCommand(session.env));
    cli.addSubcommand(new ApproleSetupCommand(session.env));
    // `exec -c x ls -la`: everything from the first positional on belongs to the child, as after --
    cli.getSubcommands().get("exec").setStopAtPositional(true);
    cli.setOut(new PrintWriter(session.out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(session.err, true, StandardCharsets.UTF_8));
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          session.err.println("bao-injector: " + usageProblem(ex, cli));
          session.err.println(
              "Try '"
                  + ex.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help' for usage.");
          return USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof ConfigException) {
            session.err.println("bao-injector: " + ex.getMessage());
            return USAGE;
          }
          String message = ex.getMessage();
          session.err.println(
              "bao-injector: "
                  + (message == null || message.isBlank()
                      ? ex.getClass().getSimpleName()
                      : oneLine(message)));
          if (session.debug()) {
            ex.printStackTrace(session.err);
          }
          return FAILURE;
        });
    return cli;
  }

  private static String usageProblem(CommandLine.ParameterException ex, CommandLine root) {
    if (ex instanceof CommandLine.UnmatchedArgumentException u
        && u.getCommandLine() == root
        && !u.getUnmatched().isEmpty()
        && !u.getUnmatched().get(0).startsWith("-")) {
      String near = u.getSuggestions().isEmpty() ? null : u.getSuggestions().get(0);
      return "unknown command '"
          + u.getUnmatched().get(0)
          + "'"
          + (near == null
              ? " (commands: " + String.join(", ", root.getSubcommands().keySet()) + ")"
              : " (did you mean " + near + "?)");
    }
    if (ex instanceof CommandLine.UnmatchedArgumentException u
        && !u.getUnmatched().isEmpty()
        && ex.getMessage().startsWith("Unmatched argument")) {
      return "unexpected argument '" + String.join("' '", u.getUnmatched()) + "'";
    }
    return oneLine(ex.getMessage());
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
