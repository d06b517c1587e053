package io.baoinjector.sidecar.config;

import java.util.Map;

/**
 * The environment variables that supply defaults for keys the file leaves out, as the bao CLI reads
 * them: each {@code BAO_*} beats its {@code VAULT_*} twin, and an empty variable counts as unset. A
 * key written in the file always beats the environment (the variable is the default, as the CLI's
 * own flags beat its variables).
 */
final class EnvDefaults {
  /** A value and the variable it came from. */
  record Value(String value, String name) {}

  private final Map<String, String> env;

  EnvDefaults(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  Value address() {
    return first("BAO_ADDR", "VAULT_ADDR");
  }

  Value namespace() {
    return first("BAO_NAMESPACE", "VAULT_NAMESPACE");
  }

  Value caCert() {
    return first("BAO_CACERT", "VAULT_CACERT");
  }

  Value skipVerify() {
    return first("BAO_SKIP_VERIFY", "VAULT_SKIP_VERIFY");
  }

  /** The token; its value must only ever reach a {@code SecretValue}. */
  Value token() {
    return first("BAO_TOKEN", "VAULT_TOKEN");
  }

  /** {@code $HOME}, for {@code ~/.vault-token}; null when unset. */
  String home() {
    Value v = first("HOME");
    return v == null ? null : v.value();
  }

  private Value first(String... names) {
    for (String n : names) {
      String v = env.get(n);
      if (v != null && !v.isEmpty()) {
        return new Value(v, n);
      }
    }
    return null;
  }

  /**
   * Go's strconv.ParseBool, which the bao CLI uses for {@code BAO_SKIP_VERIFY}; null if neither.
   */
  static Boolean parseBool(String s) {
    return switch (s) {
      case "1", "t", "T", "true", "TRUE", "True" -> Boolean.TRUE;
      case "0", "f", "F", "false", "FALSE", "False" -> Boolean.FALSE;
      default -> null;
    };
  }
}
