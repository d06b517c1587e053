package io.baoinjector.sidecar.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.auth.AuthException;
import io.baoinjector.sidecar.auth.AuthMethod;
import io.baoinjector.sidecar.config.ConfigLoader;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.token.TokenManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * A logged-in OpenBao client for the tools: the sidecar's own config, {@link OpenBaoClient}, auth
 * method and {@link TokenManager}, built as the pipeline builds them (minus the metrics, the
 * sources and the outputs, which a one-shot write does not use). {@link #open} is the one place
 * that builds it, so the lifecycle in {@code Sidecar} can hand the tools its own session later.
 */
public final class Connection implements AutoCloseable {
  /**
   * Without {@code -c}, the tools need only the address and the credentials, which the config reads
   * from {@code BAO_ADDR}/{@code BAO_TOKEN} (and their {@code VAULT_*} twins) when its file leaves
   * them out. The validator wants one name to hand out; the tools never read it.
   */
  private static final String ENV_ONLY_CONFIG = "secrets:\n  UNUSED: secret/unused#unused\n";

  private final OpenBaoClient client;
  private final TokenManager tokens;
  final KvWriter kv;

  private Connection(OpenBaoClient client, TokenManager tokens) {
    this.client = client;
    this.tokens = tokens;
    this.kv = new KvWriter(client, tokens::currentToken);
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
    return login(c);
  }

  /**
   * Logs in with {@code c}'s address, TLS and auth, leaving an AppRole secret-id file for the
   * process that runs next.
   *
   * @throws ToolFailure when the login fails (exit 1)
   */
  public static Connection login(SidecarConfig config) {
    SidecarConfig c = config.keepingSecretIdFile();
    OpenBaoClient client = new OpenBaoClient(c.openbao());
    TokenManager tokens = TokenManager.builder(client, AuthMethod.create(c.auth())).build();
    try {
      tokens.start();
      tokens.currentToken();
    } catch (AuthException | OpenBaoException e) {
      tokens.close();
      throw ToolFailure.runtime("login failed: " + e.getMessage());
    }
    return new Connection(client, tokens);
  }

  public OpenBaoClient client() {
    return client;
  }

  /** The current token, renewed or re-obtained as the sidecar does. */
  public SecretValue token() {
    return tokens.currentToken();
  }

  /** Who is writing, for the archive's metadata: the token's display name and entity. */
  String identity() {
    try {
      JsonNode d = client.get("auth/token/lookup-self", tokens.currentToken()).path("data");
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
    tokens.close();
  }
}
