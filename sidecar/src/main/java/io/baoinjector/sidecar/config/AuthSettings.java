package io.baoinjector.sidecar.config;

import io.baoinjector.sidecar.SecretValue;
import java.nio.file.Path;

/**
 * How the sidecar logs in. Which fields apply depends on {@link #method()}; the validator has
 * checked the ones that do.
 *
 * @param mount the auth mount path (default: the method's name)
 * @param token a token given in the environment ({@code BAO_TOKEN}/{@code VAULT_TOKEN}), or null
 * @param tokenFile token: a file holding the token; null means $BAO_TOKEN then ~/.vault-token
 * @param roleIdFile approle
 * @param secretIdFile approle
 * @param secretIdWrapped approle: the secret-id file holds a response-wrapping token
 * @param keepSecretIdFile approle: do not delete the secret-id file after the first login
 * @param role kubernetes, jwt
 * @param jwtFile kubernetes (default: the service-account token), jwt; re-read at each login
 */
public record AuthSettings(
    Method method,
    String mount,
    SecretValue token,
    Path tokenFile,
    Path roleIdFile,
    Path secretIdFile,
    boolean secretIdWrapped,
    boolean keepSecretIdFile,
    String role,
    Path jwtFile) {

  public enum Method {
    TOKEN("token"),
    APPROLE("approle"),
    KUBERNETES("kubernetes"),
    JWT("jwt");

    private final String configName;

    Method(String configName) {
      this.configName = configName;
    }

    /** The name as written in {@code auth.method}, which is also the default mount. */
    public String configName() {
      return configName;
    }
  }

  /** The same settings with {@code keep-secret-id-file} set to {@code keep}. */
  public AuthSettings withKeepSecretIdFile(boolean keep) {
    return new AuthSettings(
        method,
        mount,
        token,
        tokenFile,
        roleIdFile,
        secretIdFile,
        secretIdWrapped,
        keep,
        role,
        jwtFile);
  }

  public static final Path KUBERNETES_DEFAULT_JWT =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");
}
