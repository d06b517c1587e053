package io.baoinjector.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** Sets up auth methods and wrapped secrets on a test server, as root; see {@link OpenBao}. */
final class AuthSetup {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuthSetup() {}

  static OpenBao.AppRole appRole(OpenBao b, String role, Map<String, ?> roleOptions) {
    JsonNode auths = b.api("GET", "sys/auth", null);
    if (!auths.path("data").has("approle/")) {
      b.enableAuth("approle", "approle");
    }
    b.api("POST", "auth/approle/role/" + role, roleOptions);
    String roleId =
        b.api("GET", "auth/approle/role/" + role + "/role-id", null)
            .path("data")
            .path("role_id")
            .asText();
    return new OpenBao.AppRole(role, roleId, newSecretId(b, role));
  }

  static String newSecretId(OpenBao b, String role) {
    return b.api("POST", "auth/approle/role/" + role + "/secret-id", Map.of())
        .path("data")
        .path("secret_id")
        .asText();
  }

  /** POSTs {@code body} to {@code path} with a wrap TTL; returns the wrapping token. */
  static String wrapped(OpenBao b, String path, Object body, String ttl) {
    try {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(b.address() + "/v1/" + path))
              .header("X-Vault-Token", b.rootToken())
              .header("X-Vault-Wrap-TTL", ttl)
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      body instanceof String s ? s : JSON.writeValueAsString(body)))
              .build();
      HttpResponse<String> r = b.http().send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException("wrap " + path + " -> " + r.statusCode() + ": " + r.body());
      }
      return JSON.readTree(r.body()).path("wrap_info").path("token").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Jwt jwt(OpenBao b, String role, List<String> policies) {
    Jwt jwt = Jwt.generate();
    b.enableAuth("jwt", "jwt");
    b.api("POST", "auth/jwt/config", Map.of("jwt_validation_pubkeys", List.of(jwt.publicKeyPem())));
    ObjectNode r = JSON.createObjectNode();
    r.put("role_type", "jwt");
    r.put("user_claim", "sub");
    r.putArray("bound_audiences").add("bao-injector");
    r.put("token_policies", String.join(",", policies));
    r.put("token_ttl", "1h");
    b.api("POST", "auth/jwt/role/" + role, r);
    return jwt;
  }

  static void kubernetes(
      OpenBao b, String kubernetesHost, String caCertPem, String role, List<String> policies) {
    b.enableAuth("kubernetes", "kubernetes");
    b.api(
        "POST",
        "auth/kubernetes/config",
        Map.of(
            "kubernetes_host",
            kubernetesHost,
            "kubernetes_ca_cert",
            caCertPem,
            "disable_local_ca_jwt",
            true,
            "token_reviewer_jwt",
            "reviewer-jwt"));
    b.api(
        "POST",
        "auth/kubernetes/role/" + role,
        Map.of(
            "bound_service_account_names",
            List.of("app"),
            "bound_service_account_namespaces",
            List.of("default"),
            "token_policies",
            policies,
            "token_ttl",
            "1h"));
  }
}
