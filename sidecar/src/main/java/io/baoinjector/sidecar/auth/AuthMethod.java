package io.baoinjector.sidecar.auth;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.config.AuthSettings;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import java.util.Objects;

/**
 * Obtains a token. Called by the token lifecycle at start and whenever the token is dead or at its
 * max TTL; implementations re-read their credential files on each call so a rotated JWT or a new
 * secret-id file is picked up. Not called concurrently.
 */
public interface AuthMethod {
  /**
   * Logs in.
   *
   * @throws AuthException when the configuration cannot work (missing file, refused wrapping token)
   * @throws io.baoinjector.sidecar.openbao.OpenBaoException when OpenBao refuses or is unreachable
   */
  Token login(OpenBaoClient client);

  /**
   * What the credential files look like now (modification time, size, file identity), for noticing
   * that new credentials were written while a login backs off; null when there is no file to watch.
   * Equal stamps mean unchanged files. Never holds file contents.
   */
  default Object credentialStamp() {
    return null;
  }

  /** For log lines, e.g. {@code approle at auth/approle}. */
  String describe();

  /** The method {@code settings} asks for. */
  static AuthMethod create(AuthSettings settings) {
    Objects.requireNonNull(settings, "auth settings == null");
    String mount =
        settings.mount() == null || settings.mount().isBlank()
            ? settings.method().configName()
            : trimSlashes(settings.mount());
    return switch (settings.method()) {
      case TOKEN -> new TokenAuth(settings.token(), settings.tokenFile());
      case APPROLE ->
          new AppRoleAuth(
              mount,
              settings.roleIdFile(),
              settings.secretIdFile(),
              settings.secretIdWrapped(),
              settings.keepSecretIdFile());
      case JWT -> new JwtAuth(mount, settings.role(), settings.jwtFile());
      case KUBERNETES ->
          JwtAuth.kubernetes(
              mount,
              settings.role(),
              settings.jwtFile() == null
                  ? AuthSettings.KUBERNETES_DEFAULT_JWT
                  : settings.jwtFile());
    };
  }

  private static String trimSlashes(String mount) {
    String m = Reference.stripSlashes(mount.trim());
    return m.startsWith("auth/") ? m.substring("auth/".length()) : m;
  }
}
