package io.baoinjector.sidecar.config;

import io.baoinjector.sidecar.SecretValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The environment variables that supply defaults for keys the file leaves out, as the bao CLI reads
 * them: each {@code BAO_*} beats its {@code VAULT_*} twin, and an empty variable counts as unset. A
 * key written in the file always beats the environment (the variable is the default, as the CLI's
 * own flags beat its variables). A record component takes its variable by naming its key in
 * {@code @JacksonInject}; Jackson asks only for keys the file leaves out.
 */
final class EnvDefaults {
  /** A value and the variable it came from. */
  private record Value(String value, String name) {}

  /** The key each variable pair supplies. */
  private static final Map<String, List<String>> VARIABLES =
      Map.of(
          "openbao.address", List.of("BAO_ADDR", "VAULT_ADDR"),
          "openbao.namespace", List.of("BAO_NAMESPACE", "VAULT_NAMESPACE"),
          "openbao.ca-cert", List.of("BAO_CACERT", "VAULT_CACERT"),
          "openbao.tls-skip-verify", List.of("BAO_SKIP_VERIFY", "VAULT_SKIP_VERIFY"),
          "auth.token", List.of("BAO_TOKEN", "VAULT_TOKEN"));

  /** Every variable the loader reads (the docs test checks each is documented). */
  static final List<String> ALL =
      java.util.stream.Stream.concat(
              VARIABLES.values().stream().flatMap(List::stream), java.util.stream.Stream.of("HOME"))
          .toList();

  private final Map<String, String> env;

  EnvDefaults(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /**
   * The value for {@code key}, which the file leaves out, typed as its component: from its
   * variable, remembering where it came from for messages; null (false for a flag) when unset.
   */
  Object inject(String key, LoadContext ctx) {
    // Jackson may ask even when the file sets the key (its value then wins): no origin, no check
    List<String> names = VARIABLES.get(key); // none for a component no variable fills (source)
    Value v = ctx.has(key) || names == null ? null : first(names);
    if (v == null) {
      return key.equals("openbao.tls-skip-verify") ? Boolean.FALSE : null;
    }
    if (!key.equals("auth.token")) {
      ctx.recordEnv(key, v.name());
    }
    try {
      return switch (key) {
        case "openbao.address" -> List.of(Scalars.uri(v.value()));
        // a path in the environment means what it means to the bao CLI: relative to the working dir
        case "openbao.ca-cert" -> Path.of(v.value()).toAbsolutePath().normalize();
        case "openbao.tls-skip-verify" -> parseBool(v);
        case "auth.token" -> SecretValue.of(v.value()); // its value must reach nothing else
        default -> v.value();
      };
    } catch (Binder.Bad e) {
      throw ctx.errorAt(0, key + " (from $" + v.name() + ")", e.getMessage(), e.fix);
    }
  }

  /** {@code ~/.vault-token} by {@link HomeDir}'s rule. */
  Path vaultToken() {
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

  /** Go's strconv.ParseBool, which the bao CLI uses for {@code BAO_SKIP_VERIFY}. */
  private static Boolean parseBool(Value v) {
    return switch (v.value()) {
      case "1", "t", "T", "true", "TRUE", "True" -> Boolean.TRUE;
      case "0", "f", "F", "false", "FALSE", "False" -> Boolean.FALSE;
      default ->
          throw new Binder.Bad(
              "\"" + v.value() + "\" is not true or false",
              "set $" + v.name() + " to true or false");
    };
  }
}
