package io.baoinjector.sidecar.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.config.AuthSettings;
import io.baoinjector.sidecar.config.OpenBaoSettings;
import io.baoinjector.sidecar.config.TestSettings;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.testkit.OpenBao;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** Shared setup for auth and token tests against a real OpenBao. */
public final class Fixtures {
  public static final String POLICY = "read-app";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  /** A policy that can read {@code secret/data/app/*}, and a secret there. */
  public static void secretAndPolicy(OpenBao bao, String value) {
    bao.writePolicy(POLICY, "path \"secret/data/app/*\" { capabilities = [\"read\"] }");
    bao.put("app/db", Map.of("password", value));
  }

  public static OpenBaoClient client(OpenBao bao) {
    return new OpenBaoClient(settings(bao));
  }

  public static OpenBaoSettings settings(OpenBao bao) {
    return TestSettings.openbao(URI.create(bao.address()));
  }

  /** Reads the fixture secret with {@code token}; throws if it cannot. */
  public static String readPassword(OpenBaoClient client, SecretValue token) {
    return client
        .get("secret/data/app/db", token)
        .path("data")
        .path("data")
        .path("password")
        .asText();
  }

  public static AuthSettings appRole(
      Path roleIdFile, Path secretIdFile, boolean wrapped, boolean keep) {
    return new AuthSettings(
        AuthSettings.Method.APPROLE,
        null,
        null,
        null,
        roleIdFile,
        secretIdFile,
        wrapped,
        keep,
        null,
        null);
  }

  /** JWT or Kubernetes auth: a role and the file its token is read from at each login. */
  public static AuthSettings roleAndFile(AuthSettings.Method method, String role, Path tokenFile) {
    return new AuthSettings(method, null, null, null, null, null, false, false, role, tokenFile);
  }

  /**
   * An unverified-signature Kubernetes service-account JWT for {@code default/app}: OpenBao's
   * kubernetes plugin only parses it and asks TokenReview (our MockWebServer) whether it is valid.
   */
  public static String serviceAccountJwt(String uid) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair keys = g.generateKeyPair();
    long now = System.currentTimeMillis() / 1000;
    Map<String, Object> claims =
        Map.of(
            "iss",
            "kubernetes/serviceaccount",
            "kubernetes.io/serviceaccount/namespace",
            "default",
            "kubernetes.io/serviceaccount/service-account.name",
            "app",
            "kubernetes.io/serviceaccount/service-account.uid",
            uid,
            "sub",
            "system:serviceaccount:default:app",
            "iat",
            now,
            "nbf",
            now - 5,
            "exp",
            now + Duration.ofMinutes(10).toSeconds());
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header =
        b64.encodeToString(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT")));
    String body = b64.encodeToString(JSON.writeValueAsBytes(claims));
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(keys.getPrivate());
    s.update((header + "." + body).getBytes(StandardCharsets.US_ASCII));
    return header + "." + body + "." + b64.encodeToString(s.sign());
  }
}
