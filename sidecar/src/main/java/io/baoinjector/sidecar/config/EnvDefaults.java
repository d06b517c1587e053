package io.baoinjector.sidecar.config;

import java.util.List;
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

  static final List<String> ADDRESS = List.of("BAO_ADDR", "VAULT_ADDR");
  static final List<String> NAMESPACE = List.of("BAO_NAMESPACE", "VAULT_NAMESPACE");
  static final List<String> CA_CERT = List.of("BAO_CACERT", "VAULT_CACERT");
  static final List<String> SKIP_VERIFY = List.of("BAO_SKIP_VERIFY", "VAULT_SKIP_VERIFY");
  static final List<String> TOKEN = List.of("BAO_TOKEN", "VAULT_TOKEN");

  /** Every variable the loader reads (the docs test checks each is documented). */
  static final List<String> ALL =
      List.of(ADDRESS, NAMESPACE, CA_CERT, SKIP_VERIFY, TOKEN, List.of("HOME")).stream()
          .flatMap(List::stream)
          .toList();

  private final Map<String, String> env;

  EnvDefaults(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  Value address() {
    return first(ADDRESS);
  }

  Value namespace() {
    return first(NAMESPACE);
  }

  Value caCert() {
    return first(CA_CERT);
  }

  Value skipVerify() {
    return first(SKIP_VERIFY);
  }

  /** The token; its value must only ever reach a {@code SecretValue}. */
  Value token() {
    return first(TOKEN);
  }

  /** {@code ~/.vault-token} by {@link HomeDir}'s rule. */
  java.nio.file.Path vaultToken() {
    return HomeDir.vaultToken(env);
  }

  private Value first(List<String> names) {
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
