package io.baoinjector.sidecar.config;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.config.AuthSettings.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Reads {@code auth:}: the method, its own keys (others are errors), and the environment token. */
final class AuthReader {
  /** The keys each method reads besides method and mount. */
  private static final Map<Method, List<String>> KEYS =
      Map.of(
          Method.TOKEN, List.of("token-file"),
          Method.APPROLE,
              List.of("role-id-file", "secret-id-file", "secret-id-wrapped", "keep-secret-id-file"),
          Method.KUBERNETES, List.of("role", "jwt-file"),
          Method.JWT, List.of("role", "jwt-file"));

  private AuthReader() {}

  static AuthSettings read(ConfigFile.Auth raw, EnvDefaults env, LoadContext ctx) {
    ConfigFile.Auth f =
        raw == null
            ? new ConfigFile.Auth(null, null, null, null, null, null, null, null, null)
            : raw;
    List<String> names = Arrays.stream(Method.values()).map(Method::configName).toList();
    String chosen = ctx.choice("auth.method", f.method(), names);
    Method method =
        chosen == null ? Method.TOKEN : Method.valueOf(chosen.toUpperCase(java.util.Locale.ROOT));
    rejectOtherMethodsKeys(ctx, method);

    if (ctx.has("auth.mount") && f.mount() == null) {
      throw ctx.error(
          "auth.mount",
          "has no value",
          "write a value like " + method.configName() + " or remove the key");
    }
    String mount = f.mount() == null ? method.configName() : trimSlashes(f.mount());
    if (mount.isEmpty()) {
      throw ctx.error("auth.mount", "empty mount path", "remove it to use " + method.configName());
    }

    SecretValue token = null;
    if (method == Method.TOKEN && f.tokenFile() == null) {
      EnvDefaults.Value v = env.token();
      if (v != null) {
        token = SecretValue.of(v.value());
      } else if (!homeTokenExists(env)) {
        throw ctx.errorAt(
            ctx.line("auth", "method"),
            "auth",
            "method token has no token",
            "set auth.token-file, export BAO_TOKEN, or run bao login to write ~/.vault-token");
      }
    }

    Path jwtFile = f.jwtFile();
    if (method == Method.KUBERNETES && jwtFile == null) {
      jwtFile = AuthSettings.KUBERNETES_DEFAULT_JWT;
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
    return new AuthSettings(
        method,
        mount,
        token,
        f.tokenFile(),
        f.roleIdFile(),
        f.secretIdFile(),
        Boolean.TRUE.equals(f.secretIdWrapped()),
        Boolean.TRUE.equals(f.keepSecretIdFile()),
        f.role(),
        jwtFile);
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

  private static boolean homeTokenExists(EnvDefaults env) {
    return java.nio.file.Files.isRegularFile(env.vaultToken());
  }

  static String trimSlashes(String s) {
    String t = s.trim();
    while (t.startsWith("/")) {
      t = t.substring(1);
    }
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }
}
