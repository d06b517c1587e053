package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.OptBoolean;
import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.SecretValue;
import java.nio.file.Path;

/**
 * How the sidecar logs in: the {@code auth:} section, bound as written (a component is a key, in
 * kebab-case). Which fields apply depends on {@link #method()}; {@link AuthValidator} has checked
 * the ones that do.
 *
 * @param method default token
 * @param mount the auth mount path without surrounding slashes (default: the method's name)
 * @param token a token given in the environment ({@code BAO_TOKEN}/{@code VAULT_TOKEN}), not a key;
 *     kept only for method token without a token file
 * @param tokenFile token: a file holding the token; null means $BAO_TOKEN then ~/.vault-token
 * @param roleIdFile approle
 * @param secretIdFile approle
 * @param secretIdWrapped approle: the secret-id file holds a response-wrapping token
 * @param keepSecretIdFile approle: do not delete the secret-id file after the first login
 * @param role kubernetes, jwt
 * @param jwtFile kubernetes (default: the service-account token), jwt; re-read at each login
 */
public record AuthSettings(
    @JsonPropertyDescription("token") Method method,
    String mount,
    @JsonIgnore @JacksonInject(value = "auth.token", useInput = OptBoolean.TRUE) SecretValue token,
    Path tokenFile,
    Path roleIdFile,
    Path secretIdFile,
    boolean secretIdWrapped,
    boolean keepSecretIdFile,
    @JsonPropertyDescription("my-role") String role,
    Path jwtFile) {

  public AuthSettings {
    method = method == null ? Method.TOKEN : method;
    mount = mount == null ? method.configName() : Reference.stripSlashes(mount.trim());
    token = method == Method.TOKEN && tokenFile == null ? token : null;
    jwtFile = jwtFile == null && method == Method.KUBERNETES ? KUBERNETES_DEFAULT_JWT : jwtFile;
  }

  /** {@code auth.method: token} with {@code token}, as the environment's token gives it. */
  public static AuthSettings token(SecretValue token) {
    return new AuthSettings(Method.TOKEN, null, token, null, null, null, false, false, null, null);
  }

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
