package io.baoinjector.sidecar.output.exec;

import io.baoinjector.shared.EnvNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The child's environment: the real one, minus the sidecar's own OpenBao credentials and client
 * settings, plus the mapped names (which win over real variables of the same name).
 *
 * <p>The stripped list follows bank-vaults' vault-env ({@code sanitizeEnvmap}): the token, the
 * address and TLS/client settings, role and path, for both the {@code VAULT_} and the {@code BAO_}
 * spelling, plus AppRole ids. A child that truly needs one gets it back with {@code --pass-env}.
 */
public final class ChildEnvironment {
  private static final List<String> SUFFIXES =
      List.of(
          "TOKEN",
          "ADDR",
          "AGENT_ADDR",
          "CACERT",
          "CAPATH",
          "CLIENT_CERT",
          "CLIENT_KEY",
          "CLIENT_TIMEOUT",
          "CLUSTER_ADDR",
          "REDIRECT_ADDR",
          "SKIP_VERIFY",
          "TLS_SERVER_NAME",
          "SRV_LOOKUP",
          "NAMESPACE",
          "WRAP_TTL",
          "MFA",
          "MAX_RETRIES",
          "RATE_LIMIT",
          "CLI_NO_COLOR",
          "ROLE",
          "PATH",
          "ROLE_ID",
          "SECRET_ID",
          "AUTH_PATH",
          "LOGIN_METHOD");

  /** Every variable name the child never inherits unless passed explicitly. */
  public static final Set<String> STRIPPED;

  static {
    Set<String> s = new TreeSet<>();
    for (String suffix : SUFFIXES) {
      s.add("VAULT_" + suffix);
      s.add("BAO_" + suffix);
    }
    // bin/bao-injector moves the sidecar JVM's suspend signal off SIGUSR2 so USR2 can be
    // forwarded; a child JVM has no reason to inherit that choice
    s.add("_JAVA_SR_SIGNUM");
    STRIPPED = Set.copyOf(s);
  }

  private ChildEnvironment() {}

  /**
   * @param real the sidecar's environment
   * @param mapped the resolved names; names that are not valid env names are skipped
   * @param passEnv stripped names to keep anyway
   */
  static Map<String, String> build(
      Map<String, String> real, Map<String, String> mapped, Set<String> passEnv) {
    Map<String, String> env = new LinkedHashMap<>();
    real.forEach(
        (k, v) -> {
          if (!STRIPPED.contains(k) || passEnv.contains(k)) {
            env.put(k, v);
          }
        });
    mapped.forEach(
        (k, v) -> {
          if (EnvNames.isValid(k) && v.indexOf('\0') < 0) {
            env.put(k, v);
          }
        });
    return env;
  }
}
