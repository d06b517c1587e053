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
  private final String key;

  public JwtAuth(String mount, String role, Path jwtFile) {
    this(mount, role, jwtFile, "auth.jwt-file");
  }

  JwtAuth(String mount, String role, Path jwtFile, String key) {
    this.mount = Objects.requireNonNull(mount, "mount == null");
    this.role = role;
    this.jwtFile = jwtFile;
    this.key = key;
  }

  @Override
  public Token login(OpenBaoClient client) {
    if (role == null || role.isBlank()) {
      throw new AuthException("auth.role: not set; name the " + mount + " role to log in as");
    }
    SecretValue jwt = CredentialFiles.read(key, jwtFile);
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
    return "role " + role + " at auth/" + mount + " with " + jwtFile;
  }
}
