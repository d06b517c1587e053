package io.baoinjector.sidecar.cli;

import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.output.OnChange;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** The picocli commands. Each parses its options, loads the config, and hands over. */
final class Commands {
  private Commands() {}

  static final String DEFAULT_SOCKET = "/run/bao-injector/agent.sock";

  static final class OnChangeConverter implements ITypeConverter<OnChange> {
    @Override
    public OnChange convert(String value) {
      try {
        return OnChange.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code -c/--config}, shared by every command that reads {@code sidecar.yaml}. */
  static final class ConfigOption {
    @Option(
        names = {"-c", "--config"},
        paramLabel = "FILE",
        defaultValue = "sidecar.yaml",
        description = "The config file (default: ${DEFAULT-VALUE}).")
    Path file;
  }

  /** A subcommand: the invocation's {@link Session} is its parent's, the root's. */
  abstract static class Subcommand implements Callable<Integer> {
    @ParentCommand Root root;

    Session session() {
      return root.session;
    }

    /** {@code --socket} when given, else {@code $BAO_INJECTOR_SOCKET}, else the default path. */
    Path socket(Path given) {
      if (given != null) {
        return given;
      }
      String fromEnv = session().env.get("BAO_INJECTOR_SOCKET");
      return Path.of(fromEnv == null || fromEnv.isEmpty() ? DEFAULT_SOCKET : fromEnv);
    }
  }

  /** A command that reads {@code sidecar.yaml}: loads it (exit 2 when wrong), then hands over. */
  abstract static class ConfigCommand extends Subcommand {
    @Mixin ConfigOption config;

    @Override
    public Integer call() {
      return call(session().handlers, session().context(), session().load(config.file));
    }

    abstract int call(CommandHandlers handlers, CommandContext ctx, SidecarConfig config);
  }

  @Command(
      name = "bao-injector",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Keeps OpenBao (or Vault) secrets current for an application: serves them over a Unix"
            + " socket, renders them into files, or runs a command with them in its environment.",
        ""
      },
      footer = {
        "",
        "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad config.",
        "Run 'bao-injector COMMAND --help' for a command's options."
      })
  static final class Root implements Callable<Integer> {
    private final Session session;

    Root(Session session) {
      this.session = session;
    }

    @Option(
        names = "--debug",
        scope = ScopeType.INHERIT,
        description = "Print stack traces of unexpected errors (also BAO_INJECTOR_DEBUG=1).")
    void debug(boolean on) {
      session.debugOption = on;
    }

    @Override
    public Integer call() {
      session.err.println("bao-injector: missing command");
      session.err.println("Try 'bao-injector --help' for the commands.");
      return Main.USAGE;
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Run the sidecar: log in, keep the token and the secrets current, and serve them over the"
            + " socket, the files and the health endpoint until stopped (SIGTERM/SIGINT).",
        "Revokes its token at exit only with revoke-on-exit: true."
      })
  static final class Run extends ConfigCommand {
    @Override
    int call(CommandHandlers handlers, CommandContext ctx, SidecarConfig c) {
      return handlers.run(ctx, c);
    }
  }

  @Command(
      name = "render",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Log in, fetch every secret, write every file under outputs.files once, and exit 0 (for"
            + " init containers and CI). Never revokes the token."
      })
  static final class Render extends ConfigCommand {
    @Override
    int call(CommandHandlers handlers, CommandContext ctx, SidecarConfig c) {
      return handlers.render(ctx, c);
    }
  }

  @Command(
      name = "exec",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Run CMD with the mapped variables in its environment, minus the sidecar's own"
            + " credentials (BAO_TOKEN, VAULT_TOKEN, ...). Forwards signals and exits with CMD's"
            + " exit code.",
        "Example: bao-injector exec -c sidecar.yaml -- java -jar app.jar",
        "     or: bao-injector exec --socket /run/bao-injector/agent.sock -- ./worker"
      })
  static final class Exec extends ConfigCommand {
    @Option(
        names = "--pass-env",
        paramLabel = "NAME",
        description = "Keep this credential variable in CMD's environment (repeatable).")
    List<String> passEnv = new ArrayList<>();

    @Option(
        names = "--on-change",
        paramLabel = "ACTION",
        defaultValue = "none",
        converter = OnChangeConverter.class,
        description =
            "When a value changes: restart (stop CMD, start it again), signal:HUP (or another"
                + " signal: INT, QUIT, TERM, USR1, USR2), or none (default: ${DEFAULT-VALUE}).")
    OnChange onChange;

    @Mixin ExecExtras extras;

    @Parameters(
        arity = "1..*",
        paramLabel = "CMD",
        description = "The command and its arguments, after --.")
    List<String> command;

    @Mixin SocketExecOptions fromSocket;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      extras.check(spec, onChange, passEnv);
      SocketExecRequest s = fromSocket.request(spec, extras.request(command, passEnv, onChange));
      return s == null ? super.call() : session().handlers.execFromSocket(session().context(), s);
    }

    @Override
    int call(CommandHandlers handlers, CommandContext ctx, SidecarConfig c) {
      return handlers.exec(ctx, c, extras.request(command, passEnv, onChange));
    }
  }

  @Command(
      name = "env",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Print the resolved variables, e.g. eval \"$(bao-injector env -c sidecar.yaml)\".",
        "Never revokes the token."
      })
  static final class Env extends ConfigCommand {
    @Option(
        names = "--format",
        paramLabel = "FORMAT",
        defaultValue = "export",
        converter = EnvFormat.Converter.class,
        description =
            "export (export NAME='value' lines for eval), dotenv (NAME='value' lines) or json"
                + " (default: ${DEFAULT-VALUE}).")
    EnvFormat format;

    @Override
    int call(CommandHandlers handlers, CommandContext ctx, SidecarConfig c) {
      return handlers.env(ctx, c, format);
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Validate the config and print a summary (addresses, auth method, names, outputs; never"
            + " a value). Exit 2 with one line naming the key and the fix when it is wrong."
      })
  static final class Check extends ConfigCommand {
    @Option(
        names = "--online",
        description =
            "Also log in, check the token can read every mapped path, and print OpenBao's health.")
    boolean online;

    @Override
    int call(CommandHandlers handlers, CommandContext ctx, SidecarConfig c) {
      CheckSummary.print(c, ctx.out());
      if (c.openbao().tlsSkipVerify()) {
        ctx.err()
            .println(
                "bao-injector: warning: tls-skip-verify is on; OpenBao's certificate is not checked");
      }
      return online ? handlers.checkOnline(ctx, c) : Main.OK;
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {"Print one value from a running sidecar, read over its socket."})
  static final class Get extends Subcommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The name, e.g. DB_PASSWORD.")
    String name;

    @Option(
        names = "--socket",
        paramLabel = "PATH",
        description =
            "The sidecar's socket (default: $BAO_INJECTOR_SOCKET, else " + DEFAULT_SOCKET + ").")
    Path socket;

    @Override
    public Integer call() {
      return session().handlers.get(session().context(), name, socket(socket));
    }
  }
}
