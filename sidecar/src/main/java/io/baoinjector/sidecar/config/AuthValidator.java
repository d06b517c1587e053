package io.baoinjector.sidecar.config;

import io.baoinjector.sidecar.config.AuthSettings.Method;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** Checks {@code auth:} as bound: the method's own keys (others are errors) and its login. */
final class AuthValidator {
  /** The keys each method reads besides method and mount. */
  private static final Map<Method, List<String>> KEYS =
      Map.of(
          Method.TOKEN, List.of("token-file"),
          Method.APPROLE,
              List.of("role-id-file", "secret-id-file", "secret-id-wrapped", "keep-secret-id-file"),
          Method.KUBERNETES, List.of("role", "jwt-file"),
          Method.JWT, List.of("role", "jwt-file"));

  private AuthValidator() {}

  static void check(AuthSettings a, EnvDefaults env, LoadContext ctx) {
    if (ctx.has("auth.token")) {
      // the token is no key: it comes from the environment, never from a file in plain sight
      throw ctx.error(
          "auth.token", "unknown key", ConfigKeys.unknownKeyFix(AuthSettings.class, "token"));
    }
    Method method = a.method();
    rejectOtherMethodsKeys(ctx, method);
    if ("no value".equals(ctx.kind("auth.mount"))) {
      throw ctx.error(
          "auth.mount",
          "has no value",
          "write a value like " + method.configName() + " or remove the key");
    }
    if (a.mount().isEmpty()) {
      throw ctx.error("auth.mount", "empty mount path", "remove it to use " + method.configName());
    }
    if (method == Method.TOKEN
        && a.tokenFile() == null
        && a.token() == null
        && !Files.isRegularFile(env.vaultToken())) {
      throw ctx.errorAt(
          ctx.line("auth", "method"),
          "auth",
          "method token has no token",
          "set auth.token-file, export BAO_TOKEN, or run bao login to write ~/.vault-token");
    }
    switch (method) {
      case APPROLE -> {
        require(ctx, method, "role-id-file", "/etc/bao/role-id");
        require(ctx, method, "secret-id-file", "/etc/bao/secret-id");
      }
      case JWT -> {
        require(ctx, method, "role", "my-role");
        require(ctx, method, "jwt-file", "/var/run/secrets/tokens/bao");
      }
      case KUBERNETES -> require(ctx, method, "role", "my-role");
      case TOKEN -> {}
    }
  }

  private static void rejectOtherMethodsKeys(LoadContext ctx, Method method) {
    List<String> mine = KEYS.get(method);
    for (Method other : Method.values()) {
      for (String key : KEYS.get(other)) {
        if (!mine.contains(key) && ctx.has("auth." + key)) {
          throw ctx.error(
              "auth." + key,
              "not used by auth method " + method.configName(),
              "remove it, or set auth.method: " + other.configName());
        }
      }
    }
  }

  private static void require(LoadContext ctx, Method method, String key, String example) {
    if (!ctx.has("auth." + key)) {
      throw ctx.errorAt(
          ctx.line("auth", "method"),
          "auth." + key,
          "missing; auth method " + method.configName() + " needs it",
          "add " + key + ": " + example + " under auth:");
    }
  }
}
