package io.baoinjector.sidecar.tools;

import io.baoinjector.shared.ShellDotenv;
import io.baoinjector.sidecar.output.exec.ChildEnvironment;
import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bao-injector import}: a {@code .env} file (or the environment) into KV v2. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Write the variables of a .env file (read as bash's `set -a; . FILE` reads it; what bash"
          + " would expand is refused) or of the environment into one KV v2 secret, or one per"
          + " --split prefix, with check-and-set. Prints names, never values.",
      "Example: bao-injector import --from app.env --to secret/app/prod --emit-config"
    },
    footer = {"", "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad config."})
public final class ImportCommand extends ToolCommand {
  static final class Source {
    @Option(names = "--from", paramLabel = "FILE.env", description = "The dotenv file.")
    Path file;

    @Option(
        names = "--from-env",
        paramLabel = "PATTERN",
        description = "The current environment's variables whose names match this glob (DB_*).")
    String pattern;
  }

  static final class Existing {
    @Option(
        names = "--merge",
        description = "Onto an existing secret: keep its other keys, set these (check-and-set).")
    boolean merge;

    @Option(
        names = "--replace",
        description = "Onto an existing secret: replace all its keys with these (check-and-set).")
    boolean replace;
  }

  @ArgGroup(multiplicity = "1")
  Source source;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "PATH",
      description = "The KV v2 secret, e.g. secret/app/prod.")
  String to;

  @Option(
      names = "--split",
      arity = "1..*",
      paramLabel = "PREFIX",
      description = "Names starting with PREFIX (DB_) go to PATH/db instead; the rest to PATH.")
  List<String> split = new ArrayList<>();

  @ArgGroup Existing existing;

  @Option(
      names = "--emit-config",
      description =
          "Print the secrets: block for sidecar.yaml on stdout (the summary goes to stderr).")
  boolean emitConfig;

  /** With the invocation's environment (the command line hands in its own). */
  public ImportCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  int execute(PrintWriter out, PrintWriter err) {
    KvWriter.checkPath("--to", to);
    Map<String, String> values = source.file != null ? readFile(source.file) : fromEnv(err);
    Map<String, Map<String, String>> groups = DotenvImport.split(to, values, split);
    DotenvImport.Mode mode =
        existing == null
            ? DotenvImport.Mode.NEW
            : existing.merge ? DotenvImport.Mode.MERGE : DotenvImport.Mode.REPLACE;
    try (Connection c = connect()) {
      new DotenvImport(c.kv, mode, dryRun, hook).run(groups, emitConfig ? err : out);
    }
    if (emitConfig) {
      out.print(DotenvImport.secretsBlock(groups));
    }
    return 0;
  }

  private static Map<String, String> readFile(Path file) {
    String text = readText(file, "--from", "a .env file");
    Map<String, String> values;
    try {
      values = ShellDotenv.parse(text, file.toString());
    } catch (ShellDotenv.Refused e) {
      throw ToolFailure.usage(e.getMessage());
    }
    if (values.isEmpty()) {
      throw ToolFailure.usage("--from " + file + ": no NAME=value lines in it");
    }
    return values;
  }

  /** The matching variables, less the connection's own (a token must not become a secret's key). */
  private Map<String, String> fromEnv(PrintWriter err) {
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + source.pattern);
    Map<String, String> values = new TreeMap<>();
    Set<String> skipped = new TreeSet<>();
    env.forEach(
        (k, v) -> {
          if (!k.contains("/") && m.matches(Path.of(k))) {
            if (ChildEnvironment.STRIPPED.contains(k)) {
              skipped.add(k);
            } else {
              values.put(k, v);
            }
          }
        });
    if (values.isEmpty() && !skipped.isEmpty()) {
      throw ToolFailure.usage(
          "--from-env %s: only %s match, the connection's own variables, which import never stores"
              .formatted(source.pattern, String.join(", ", skipped)));
    }
    if (values.isEmpty()) {
      throw ToolFailure.usage(
          "--from-env " + source.pattern + ": no variable in the environment matches it");
    }
    if (!skipped.isEmpty()) {
      err.println(
          "bao-injector: not imported: "
              + String.join(", ", skipped)
              + " (the connection's own variables, as exec never passes them on)");
    }
    return values;
  }
}
