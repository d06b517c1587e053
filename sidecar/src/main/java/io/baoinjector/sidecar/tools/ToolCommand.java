package io.baoinjector.sidecar.tools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code import} and {@code rotate} share: {@code -c}, {@code --dry-run}, the login, and the
 * exit codes (a {@link ToolFailure} or a config mistake is one line, never a stack trace).
 */
abstract class ToolCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "sidecar.yaml for the OpenBao address, TLS and auth (default: none; BAO_ADDR,"
              + " BAO_TOKEN and the other BAO_*/VAULT_* variables alone).")
  Path config;

  @Option(names = "--dry-run", description = "Say what would be written; write nothing.")
  boolean dryRun;

  final Map<String, String> env;

  /** Between read and write of every secret; only tests set it. */
  WriteHook hook = WriteHook.NONE;

  ToolCommand(Map<String, String> env) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env == null"));
  }

  @Override
  public final Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return ToolFailure.run(out, err, () -> execute(out, err));
  }

  abstract int execute(PrintWriter out, PrintWriter err);

  /** The one seam to the sidecar's client, auth and config. */
  Connection connect() {
    return Connection.open(config, env);
  }
}
