package io.baoinjector.sidecar.tools;

import io.baoinjector.shared.wire.Utf8;
import io.baoinjector.shared.wire.WireFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
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

  /** Far above any .env file or value, far below the heap: /dev/zero or a log is one line. */
  static final int MAX_INPUT = 8 << 20;

  /**
   * The UTF-8 text of {@code file}, at most {@link #MAX_INPUT} bytes.
   *
   * @param option names the file in messages, e.g. "--from"
   * @param what what the file should be, e.g. "a .env file"
   */
  static String readText(Path file, String option, String what) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_INPUT + 1);
    } catch (IOException e) {
      throw ToolFailure.usage(
          option + " " + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
    }
    if (bytes.length > MAX_INPUT) {
      throw ToolFailure.usage(
          option + " " + file + ": larger than 8 MiB; " + what + " is far smaller");
    }
    try {
      return Utf8.decode(bytes, option);
    } catch (WireFormatException e) {
      throw ToolFailure.usage(option + " " + file + ": not UTF-8 text; save it as UTF-8");
    }
  }

  /** The one seam to the sidecar's client, auth and config. */
  Connection connect() {
    return Connection.open(config, env);
  }
}
