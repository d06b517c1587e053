package io.baoinjector.sidecar.tools.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.config.AuthSettings;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.tools.ToolFailure;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code bao-injector approle-setup}: the production AppRole steps, with the policy generated from
 * the config instead of written by hand.
 */
@Command(
    name = "approle-setup",
    mixinStandardHelpOptions = true,
    versionProvider = io.baoinjector.sidecar.cli.VersionProvider.class,
    description = {
      "Set up AppRole for the sidecar: the policy, the role, a role-id and a (wrapped)"
          + " secret-id file.",
      "With an admin token (BAO_TOKEN, VAULT_TOKEN or ~/.vault-token; the config's own when"
          + " auth.method is token): enable AppRole if it is not, write the policy `policy`"
          + " prints for the config, create or update the role with only that policy, and write"
          + " DIR/role-id and DIR/secret-id (response-wrapped unless --no-wrap), mode 0400. Then"
          + " prints the auth: block for sidecar.yaml.",
      "Example: bao-injector approle-setup --role app -c sidecar.yaml --out /etc/bao-injector"
    },
    footer = {"", "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad config."})
public final class ApproleSetupCommand extends PolicyTool {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Pattern TTL = Pattern.compile("\\d+|(\\d+[smhd])+");

  @Option(
      names = "--role",
      required = true,
      paramLabel = "NAME",
      description = "The AppRole role to create or update.")
  String role;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where role-id and secret-id are written (created 0700 if absent).")
  Path out;

  @Option(
      names = "--policy-name",
      paramLabel = "NAME",
      description = "The policy's name (default: bao-injector-ROLE).")
  String policyName;

  @Option(names = "--token-ttl", paramLabel = "TTL", description = "The role's token_ttl.")
  String tokenTtl;

  @Option(names = "--token-max-ttl", paramLabel = "TTL", description = "The role's token_max_ttl.")
  String tokenMaxTtl;

  @Option(
      names = "--secret-id-ttl",
      paramLabel = "TTL",
      description = "How long a secret id stays valid (the role's secret_id_ttl).")
  String secretIdTtl;

  @Option(
      names = "--secret-id-uses",
      paramLabel = "N",
      description = "How many logins a secret id allows (secret_id_num_uses; 0 = unlimited).")
  Integer secretIdUses;

  @Option(
      names = "--no-default-policy",
      description =
          "Give the role's tokens only the generated policy, not OpenBao's default policy too"
              + " (check --online then cannot ask sys/capabilities-self).")
  boolean noDefaultPolicy;

  @Option(
      names = "--wrap-ttl",
      paramLabel = "TTL",
      defaultValue = "1h",
      description =
          "The secret id is response-wrapped for this long: the sidecar must first start within"
              + " it (default: ${DEFAULT-VALUE}).")
  String wrapTtl;

  @Option(
      names = "--no-wrap",
      description = "Write the secret id itself, not a wrapping token (not recommended).")
  boolean noWrap;

  @Option(names = "--force", description = "Replace existing role-id and secret-id files.")
  boolean force;

  @Option(
      names = "--dry-run",
      description = "Print the policy and the role settings; change nothing, write nothing.")
  boolean dryRun;

  /** With the invocation's environment (the command line hands in its own). */
  public ApproleSetupCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  int execute(SidecarConfig config, PrintWriter stdout, PrintWriter err) {
    validate();
    String mount =
        config.auth().method() == AuthSettings.Method.APPROLE
            ? config.auth().mount().replaceFirst("^auth/", "")
            : "approle";
    String policy = policyName != null ? policyName : "bao-injector-" + role;
    Path dir = out.toAbsolutePath().normalize();
    Path roleIdFile = dir.resolve("role-id");
    Path secretIdFile = dir.resolve("secret-id");
    CredentialFile.checkWritable(roleIdFile, force);
    CredentialFile.checkWritable(secretIdFile, force);
    Map<String, Object> settings = roleSettings(policy);
    String rolePath = "auth/" + mount + "/role/" + role;

    try (AdminSession admin = AdminSession.open(config, env)) {
      String hcl = policy(config, admin);
      JsonNode auths = admin.call("GET", "sys/auth", null, null, "\"read\"");
      boolean enabled = auths.path("data").has(mount + "/") || auths.has(mount + "/");
      String prefix = dryRun ? "would " : "";
      if (!enabled) {
        stdout.printf("%senable AppRole at auth/%s%n", prefix, mount);
        if (!dryRun) {
          admin.call(
              "POST",
              "sys/auth/" + mount,
              Map.of("type", "approle"),
              null,
              "\"sudo\" and \"create\"");
        }
      }
      stdout.printf("%swrite policy %s:%n%s", prefix, policy, hcl);
      if (!dryRun) {
        admin.call(
            "PUT",
            "sys/policies/acl/" + policy,
            Map.of("policy", hcl),
            null,
            "\"create\" and \"update\"");
      }
      stdout.printf("%sset role %s: %s%n", prefix, rolePath, settings);
      if (dryRun) {
        return done(stdout, "would write", mount, roleIdFile, secretIdFile);
      }
      admin.call("POST", rolePath, settings, null, "\"create\" and \"update\"");
      String roleId =
          admin
              .call("GET", rolePath + "/role-id", null, null, "\"read\"")
              .path("data")
              .path("role_id")
              .asText("");
      JsonNode s =
          admin.call(
              "POST", rolePath + "/secret-id", Map.of(), noWrap ? null : wrapTtl, "\"update\"");
      String secretId =
          noWrap
              ? s.path("data").path("secret_id").asText("")
              : s.path("wrap_info").path("token").asText("");
      if (roleId.isEmpty() || secretId.isEmpty()) {
        throw new ToolFailure(1, rolePath + ": OpenBao answered without a role id or secret id");
      }
      createDir(dir);
      CredentialFile.write(roleIdFile, roleId, force);
      CredentialFile.write(secretIdFile, secretId, force);
      return done(stdout, "wrote", mount, roleIdFile, secretIdFile);
    }
  }

  private void validate() {
    if (!NAME.matcher(role).matches()) {
      usage("--role: '" + role + "' is not a role name (letters, digits, _ . -)");
    }
    if (policyName != null && !NAME.matcher(policyName).matches()) {
      usage("--policy-name: '" + policyName + "' is not a policy name (letters, digits, _ . -)");
    }
    ttl("--token-ttl", tokenTtl);
    ttl("--token-max-ttl", tokenMaxTtl);
    ttl("--secret-id-ttl", secretIdTtl);
    ttl("--wrap-ttl", wrapTtl);
    if (noWrap && spec.commandLine().getParseResult().hasMatchedOption("--wrap-ttl")) {
      usage("--wrap-ttl and --no-wrap exclude each other");
    }
    if (secretIdUses != null && secretIdUses < 0) {
      usage("--secret-id-uses: must be 0 (unlimited) or more");
    }
  }

  private void ttl(String option, String value) {
    if (value != null && !TTL.matcher(value).matches()) {
      usage(option + ": '" + value + "' is not a duration (e.g. 90s, 15m, 1h, 7d)");
    }
  }

  private void usage(String message) {
    throw new ParameterException(spec.commandLine(), message);
  }

  private Map<String, Object> roleSettings(String policy) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("token_policies", List.of(policy));
    if (noDefaultPolicy) {
      m.put("token_no_default_policy", true);
    }
    if (tokenTtl != null) {
      m.put("token_ttl", tokenTtl);
    }
    if (tokenMaxTtl != null) {
      m.put("token_max_ttl", tokenMaxTtl);
    }
    if (secretIdTtl != null) {
      m.put("secret_id_ttl", secretIdTtl);
    }
    if (secretIdUses != null) {
      m.put("secret_id_num_uses", secretIdUses);
    }
    return m;
  }

  private static void createDir(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
      }
    } catch (java.io.IOException e) {
      throw new ToolFailure(1, "cannot create " + dir + ": " + e.getClass().getSimpleName());
    }
  }

  /** Says what was (or would be) written and prints the {@code auth:} block to paste. */
  private int done(
      PrintWriter stdout, String verb, String mount, Path roleIdFile, Path secretIdFile) {
    stdout.printf(
        "%s %s and %s (%s), mode 0400%n",
        verb,
        roleIdFile,
        secretIdFile,
        noWrap ? "the secret id itself" : "a wrapping token, valid " + wrapTtl);
    stdout.println();
    stdout.println("# sidecar.yaml:");
    stdout.println("auth:");
    stdout.println("  method: approle");
    if (!mount.equals("approle")) {
      stdout.println("  mount: " + mount);
    }
    stdout.println("  role-id-file: " + roleIdFile);
    stdout.println("  secret-id-file: " + secretIdFile);
    if (!noWrap) {
      stdout.println("  secret-id-wrapped: true");
    }
    return 0;
  }
}
