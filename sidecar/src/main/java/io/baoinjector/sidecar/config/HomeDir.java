package io.baoinjector.sidecar.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The home directory that holds {@code ~/.vault-token}, by the bao CLI's rule: {@code $HOME}, and
 * the passwd entry (Java's {@code user.home}) only when {@code HOME} is unset or empty. The config
 * check and the token login both ask here, so they never read two different files.
 */
public final class HomeDir {
  private HomeDir() {}

  /** The home directory for {@code env} (the process environment, or a test's map). */
  public static Path of(Map<String, String> env) {
    String home = env.get("HOME");
    if (home == null || home.isEmpty()) {
      home = System.getProperty("user.home");
    }
    return Path.of(home);
  }

  /** {@code ~/.vault-token} for {@code env}. */
  public static Path vaultToken(Map<String, String> env) {
    return of(env).resolve(".vault-token");
  }
}
