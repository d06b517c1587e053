package io.baoinjector.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenBao's database secrets engine mounted at {@code database/} against a {@link PostgresServer}:
 * connection {@code pg} as the superuser, and one role {@code app} whose credentials are read at
 * {@link #CREDS}. Each read creates a PostgreSQL role named {@code v-…} that OpenBao drops when the
 * lease is revoked.
 */
public final class DatabaseEngine {
  /** Where the role's credentials are read. */
  public static final String CREDS = "database/creds/app";

  private static final ObjectMapper JSON = new ObjectMapper();

  private DatabaseEngine() {}

  /**
   * Gives the superuser {@code postgres} the password {@code superuserPassword} (OpenBao logs in
   * with it over TCP), mounts the engine and writes role {@code app} with the given lease times.
   * {@code revocation} are the role's revocation statements; empty keeps the plugin's default
   * (revoke privileges, {@code DROP ROLE}), which leaves sessions already open running.
   */
  public static void mount(
      OpenBao bao,
      PostgresServer pg,
      String superuserPassword,
      long ttlSeconds,
      long maxTtlSeconds,
      List<String> revocation) {
    pg.sql("ALTER ROLE postgres PASSWORD '" + superuserPassword + "';");
    bao.api("POST", "sys/mounts/database", Map.of("type", "database"));
    bao.api(
        "POST",
        "database/config/pg",
        Map.of(
            "plugin_name", "postgresql-database-plugin",
            "connection_url",
                "postgresql://{{username}}:{{password}}@127.0.0.1:" + pg.port() + "/postgres",
            "allowed_roles", "app",
            "username", "postgres",
            "password", superuserPassword));
    Map<String, Object> role = new LinkedHashMap<>();
    role.put("db_name", "pg");
    role.put("default_ttl", ttlSeconds + "s");
    role.put("max_ttl", maxTtlSeconds + "s");
    role.put(
        "creation_statements",
        List.of(
            "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL"
                + " '{{expiration}}';"));
    if (!revocation.isEmpty()) {
      role.put("revocation_statements", revocation);
    }
    bao.api("POST", "database/roles/app", role);
  }

  /** The live leases of {@link #CREDS}, as OpenBao lists them (full lease ids). */
  public static List<String> liveLeases(OpenBao bao) {
    HttpResponse<String> r =
        bao.raw(bao.rootToken(), "GET", "sys/leases/lookup/" + CREDS + "/?list=true", null);
    List<String> out = new ArrayList<>();
    if (r.statusCode() == 404) {
      return out;
    }
    if (r.statusCode() != 200) {
      throw new IllegalStateException("listing leases: HTTP " + r.statusCode() + " " + r.body());
    }
    try {
      JSON.readTree(r.body()).path("data").path("keys").forEach(k -> out.add(k.asText()));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("listing leases: " + e.getMessage(), e);
    }
    return out;
  }
}
