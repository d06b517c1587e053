package io.baoinjector.sidecar.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.Sidecar;
import io.baoinjector.sidecar.auth.AuthException;
import io.baoinjector.sidecar.config.AuthSettings;
import io.baoinjector.sidecar.config.ConfigLoader;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A logged-in OpenBao client for the tools, made the way {@code check --online} makes one: the
 * sidecar's own config, client, auth and token lifecycle. {@link #open} is the one place that
 * builds it, so the command lifecycle can hand the tools its own session instead later.
 */
final class Connection implements AutoCloseable {
  /**
   * Without {@code -c}, the tools need only the address and the credentials, which the config reads
   * from {@code BAO_ADDR}/{@code BAO_TOKEN} (and their {@code VAULT_*} twins) when its file leaves
   * them out. The validator wants one name to hand out; the tools never read it.
   */
  private static final String ENV_ONLY_CONFIG = "secrets:\n  UNUSED: secret/unused#unused\n";

  private final Sidecar sidecar;
  final KvWriter kv;

  private Connection(Sidecar sidecar) {
    this.sidecar = sidecar;
    this.kv = new KvWriter(sidecar.client(), () -> sidecar.tokens().currentToken());
  }

  /**
   * Loads the config ({@code config}, or the environment alone when null) and logs in.
   *
   * @throws io.baoinjector.sidecar.config.ConfigException for a bad config (exit 2)
   * @throws ToolFailure when the login fails (exit 1)
   */
  static Connection open(Path config, Map<String, String> env) {
    SidecarConfig c =
        config == null
            ? ConfigLoader.load(ENV_ONLY_CONFIG, Path.of("(environment)"), env)
            : ConfigLoader.load(config, env);
    AuthSettings a = c.auth();
    // a one-shot command leaves the AppRole secret-id file for the process that runs next
    if (a != null && !a.keepSecretIdFile()) {
      c = c.withAuth(a.withKeepSecretIdFile(true));
    }
    Sidecar s = new Sidecar(c);
    try {
      s.login();
    } catch (AuthException | OpenBaoException e) {
      s.close();
      throw ToolFailure.runtime("login failed: " + e.getMessage());
    }
    return new Connection(s);
  }

  /** Who is writing, for the archive's metadata: the token's display name and entity. */
  String identity() {
    try {
      JsonNode d = sidecar.client().get("auth/token/lookup-self", sidecar.tokens().currentToken());
      d = d.path("data");
      String name = d.path("display_name").asText("");
      String entity = d.path("entity_id").asText("");
      return (name.isEmpty() ? "unknown" : name)
          + (entity.isEmpty() ? "" : " (entity " + entity + ")");
    } catch (OpenBaoException e) {
      return "unknown";
    }
  }

  @Override
  public void close() {
    sidecar.close();
  }
}
