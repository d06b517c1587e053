package io.baoinjector.sidecar.auth;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * JWT auth: {@code role} plus a JWT read from {@code jwtFile} at every login, because whatever
 * issues it (a CI system, a token projector) rotates the file and an old JWT expires.
 */
public final class JwtAuth implements AuthMethod {
  private final String mount;
  private final String role;
  private final Path jwtFile;
  private final String description;

  public JwtAuth(String mount, String role, Path jwtFile) {
    this(mount, role, jwtFile, "role " + role + " at auth/" + mount + " with " + jwtFile);
  }

  private JwtAuth(String mount, String role, Path jwtFile, String description) {
    this.mount = Objects.requireNonNull(mount, "mount == null");
    this.role = role;
    this.jwtFile = jwtFile;
    this.description = description;
  }

  /**
   * Kubernetes auth: {@code role} plus the pod's service-account token, re-read at every login
   * (projected tokens are rotated by the kubelet). OpenBao checks it with the cluster's TokenReview
   * API: the same wire protocol as JWT auth.
   */
  public static JwtAuth kubernetes(String mount, String role, Path serviceAccountTokenFile) {
    return new JwtAuth(
        mount, role, serviceAccountTokenFile, "kubernetes role " + role + " at auth/" + mount);
  }

  @Override
  public Token login(OpenBaoClient client) {
    if (role == null || role.isBlank()) {
      throw new AuthException("auth.role: not set; name the " + mount + " role to log in as");
    }
    SecretValue jwt = CredentialFiles.read("auth.jwt-file", jwtFile);
    String path = "auth/" + mount + "/login";
    return Token.fromAuth(
        client.login(path, Map.of("role", role, "jwt", jwt.reveal())), "POST", path);
  }

  @Override
  public Object credentialStamp() {
    return CredentialFiles.stamp(jwtFile);
  }

  @Override
  public String describe() {
    return description;
  }
}
