package io.baoinjector.sidecar.tools.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.config.AuthSettings;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.Mount;
import io.baoinjector.sidecar.openbao.OpenBaoRequest;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import io.baoinjector.sidecar.tools.Connection;
import io.baoinjector.sidecar.tools.ToolFailure;
import java.util.List;
import java.util.Map;

/**
 * The operator's logged-in OpenBao client: the config's address, TLS and namespace with an admin
 * token. The config's own auth is what the sidecar will use later (an AppRole that may not exist
 * yet), so unless it is already {@code method: token} the token comes from {@code BAO_TOKEN} /
 * {@code VAULT_TOKEN}, else {@code ~/.vault-token}, as for the bao CLI.
 */
final class AdminSession implements AutoCloseable {
  private final Connection session;

  private AdminSession(Connection session) {
    this.session = session;
  }

  /** Logs in through the tools' one login ({@link Connection#login}). */
  static AdminSession open(SidecarConfig config, Map<String, String> env) {
    SidecarConfig c = config;
    if (config.auth().method() != AuthSettings.Method.TOKEN) {
      c = config.withAuth(adminToken(env));
    }
    return new AdminSession(Connection.login(c));
  }

  private static AuthSettings adminToken(Map<String, String> env) {
    String t = null;
    for (String name : List.of("BAO_TOKEN", "VAULT_TOKEN")) {
      String v = env.get(name);
      if (t == null && v != null && !v.isEmpty()) {
        t = v;
      }
    }
    return AuthSettings.token(t == null ? null : SecretValue.of(t));
  }

  /**
   * The engine serving {@code path}, as the sidecar will look it up.
   *
   * @throws ToolFailure when nothing is mounted there or the token may use nothing on it
   */
  Mount mount(String path) {
    try {
      return Mount.lookup(session.client(), session.token(), path).orElseThrow(() -> noMount(path));
    } catch (PermissionDeniedException e) {
      throw new ToolFailure(
          1,
          ("cannot tell which engine serves %s: the token may use nothing on its mount (GET %s"
                  + " denied); run with an admin token in BAO_TOKEN")
              .formatted(path, Mount.lookupPath(path)));
    }
  }

  private static ToolFailure noMount(String path) {
    return new ToolFailure(
        1, path + ": no secrets engine is mounted there; enable one or fix the path in the config");
  }

  /**
   * One write or read as the admin; a 403 names the capability and path it needs and what for.
   *
   * @param capability as a policy spells it, e.g. {@code "sudo" and "create"}
   */
  JsonNode call(String method, String path, Object body, String wrapTtl, String capability) {
    try {
      return session
          .client()
          .send(new OpenBaoRequest(method, path, body, session.token(), wrapTtl))
          .body();
    } catch (PermissionDeniedException e) {
      throw new ToolFailure(1, "permission denied: the token needs " + capability + " on " + path);
    }
  }

  @Override
  public void close() {
    session.close();
  }
}
