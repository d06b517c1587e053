package io.baoinjector.sidecar.tools.policy;

import io.baoinjector.sidecar.config.ConfigLoader;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.tools.ToolFailure;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code policy} and {@code approle-setup} share: {@code -c}, the admin login, the policy from
 * the config, and the exit codes (0 ok, 1 runtime failure, 2 usage or config; one line, never a
 * stack trace or a value).
 */
abstract class PolicyTool implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      defaultValue = "sidecar.yaml",
      description = "The sidecar's config file (default: ${DEFAULT-VALUE}).")
  Path config;

  final Map<String, String> env;

  PolicyTool(Map<String, String> env) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env == null"));
  }

  @Override
  public final Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    return ToolFailure.run(out, err, () -> execute(ConfigLoader.load(config, env), out, err));
  }

  abstract int execute(SidecarConfig config, PrintWriter out, PrintWriter err);

  /** The config's policy, its engines looked up through {@code admin}. */
  static String policy(SidecarConfig config, AdminSession admin) {
    List<Stanza> stanzas = PolicyGenerator.stanzas(config, admin::mount);
    return PolicyGenerator.hcl(config, stanzas);
  }
}
