package io.baoinjector.sidecar.tools.policy;

import io.baoinjector.sidecar.config.SidecarConfig;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code bao-injector policy}: the least-privilege HCL for what a config reads. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    versionProvider = io.baoinjector.sidecar.cli.VersionProvider.class,
    description = {
      "Print the least-privilege policy (HCL) for exactly what the config reads.",
      "Each secret's KV v2 data and metadata path, KV v1 and leased paths, lease renewal and revocation,"
          + " the token's own lookup, renewal and (revoke-on-exit) revocation. No wildcard; one"
          + " comment per stanza names the config names that need it.",
      "The config does not say which engine serves a path, so this asks OpenBao"
          + " (sys/internal/ui/mounts, reads nothing) with an admin token: the config's own when"
          + " auth.method is token, else BAO_TOKEN (or VAULT_TOKEN, ~/.vault-token).",
      "Example: bao-injector policy -c sidecar.yaml > app.hcl && bao policy write app app.hcl"
    },
    footer = {"", "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad config."})
public final class PolicyCommand extends PolicyTool {
  /** With the invocation's environment (the command line hands in its own). */
  public PolicyCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  int execute(SidecarConfig config, PrintWriter out, PrintWriter err) {
    try (AdminSession admin = AdminSession.open(config, env)) {
      out.print(policy(config, admin));
    }
    return 0;
  }
}
