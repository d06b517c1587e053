package io.baoinjector.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.testkit.Jwt;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/kubernetes/openbao-setup.sh against a real OpenBao. There is no Kubernetes API server
 * here, so a MockWebServer answers OpenBao's TokenReview calls as the API server would for the
 * pod's service account (and for another one); everything on the OpenBao side is real.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(300)
class KubernetesSetupScriptTest {
  static final String SCRIPT = "kubernetes/openbao-setup.sh";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void roleAdmitsOnlyThePodsServiceAccountAndReadsEveryReference(OpenBao bao) throws Exception {
    String sa = KubernetesManifestTest.SERVICE_ACCOUNT.at("/metadata/name").asText();
    try (MockWebServer apiServer = new MockWebServer()) {
      apiServer.setDispatcher(new TokenReviewer());
      apiServer.start();
      Proc.Result r =
          SetupScripts.run(
              bao,
              SCRIPT,
              tmp,
              Map.of(
                  "NAMESPACE",
                  "shop",
                  "KUBERNETES_HOST",
                  apiServer.url("/").toString().replaceAll("/$", ""),
                  "KUBERNETES_CA_CERT",
                  caCertPem().toString(),
                  "TOKEN_REVIEWER_JWT",
                  "reviewer-token"));
      assertEquals(0, r.exit(), r.output());

      JsonNode role = bao.api("GET", "auth/kubernetes/role/legacy-app", null).path("data");
      assertEquals(List.of(sa), Repo.texts(role.path("bound_service_account_names")));
      assertEquals(List.of("shop"), Repo.texts(role.path("bound_service_account_namespaces")));
      assertEquals(List.of("legacy-app-read"), Repo.texts(role.path("token_policies")));

      String role0 = KubernetesManifestTest.config("sidecar.yaml").at("/auth/role").asText();
      HttpResponse<String> ok = login(bao, role0, serviceAccountJwt("shop", sa));
      assertEquals(200, ok.statusCode(), ok.body());
      assertTrue(
          apiServer.takeRequest().getHeader("Authorization").equals("Bearer reviewer-token"),
          "OpenBao reviews with the configured reviewer token");
      String token = JSON.readTree(ok.body()).at("/auth/client_token").asText();
      SetupScripts.assertReadsEverySecret(
          bao, token, KubernetesManifestTest.config("sidecar.yaml"));
      assertEquals(
          403,
          bao.raw(token, "POST", "secret/data/app/db", Map.of("data", Map.of("password", "x")))
              .statusCode());

      HttpResponse<String> otherSa = login(bao, role0, serviceAccountJwt("shop", "other-app"));
      assertNotEquals(200, otherSa.statusCode(), "another service account must not log in");
      HttpResponse<String> otherNs = login(bao, role0, serviceAccountJwt("default", sa));
      assertNotEquals(200, otherNs.statusCode(), "the same name in another namespace must not");
    }
  }

  @Test
  void outsideTheClusterWithoutACaItStopsBeforeWritingAnything(OpenBao bao) {
    Proc.Result r =
        SetupScripts.run(
            bao,
            SCRIPT,
            tmp,
            Map.of("KUBERNETES_HOST", "https://127.0.0.1:6443", "TOKEN_REVIEWER_JWT", "x"));
    assertEquals(2, r.exit(), r.output());
    assertTrue(r.output().contains("also set KUBERNETES_CA_CERT"), r.output());
    assertEquals(1, r.output().strip().lines().count(), r.output());
    assertEquals(
        404,
        bao.raw(bao.rootToken(), "GET", "sys/policies/acl/legacy-app-read", null).statusCode());
  }

  private static HttpResponse<String> login(OpenBao bao, String role, String jwt) {
    return bao.raw(null, "POST", "auth/kubernetes/login", Map.of("role", role, "jwt", jwt));
  }

  /** Answers TokenReview for whatever service account the reviewed token names in its claims. */
  private static final class TokenReviewer extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (!request.getPath().startsWith("/apis/authentication.k8s.io/v1/tokenreviews")) {
        return new MockResponse().setResponseCode(404);
      }
      try {
        JsonNode spec = JSON.readTree(request.getBody().readUtf8()).path("spec");
        String jwt = spec.path("token").asText();
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        String ns = claims.at("/kubernetes.io/namespace").asText();
        String name = claims.at("/kubernetes.io/serviceaccount/name").asText();
        Map<String, Object> review =
            Map.of(
                "apiVersion", "authentication.k8s.io/v1",
                "kind", "TokenReview",
                "status",
                    Map.of(
                        "authenticated",
                        true,
                        // The API server answers with the audiences the token is valid for.
                        "audiences",
                        spec.path("audiences"),
                        "user",
                        Map.of(
                            "username", "system:serviceaccount:" + ns + ":" + name,
                            "uid", "uid-" + ns + "-" + name,
                            "groups", List.of("system:serviceaccounts"))));
        return new MockResponse()
            .setHeader("Content-Type", "application/json")
            .setBody(JSON.writeValueAsString(review));
      } catch (Exception e) {
        return new MockResponse().setResponseCode(400).setBody(e.toString());
      }
    }
  }

  /** A projected service-account token's shape, RS256-signed with a throw-away key. */
  private static String serviceAccountJwt(String namespace, String name) {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> claims =
        Map.of(
            "iss",
            "https://kubernetes.default.svc",
            "sub",
            "system:serviceaccount:" + namespace + ":" + name,
            "aud",
            List.of("https://kubernetes.default.svc"),
            "iat",
            now,
            "nbf",
            now,
            "exp",
            now + 3600,
            "kubernetes.io",
            Map.of(
                "namespace",
                namespace,
                "serviceaccount",
                Map.of("name", name, "uid", "uid-" + namespace + "-" + name)));
    return Jwt.generate().sign(claims);
  }

  /** A CA certificate PEM made with the JDK's keytool (OpenBao only parses it here). */
  private Path caCertPem() {
    Path keystore = tmp.resolve("ca.p12");
    Path pem = tmp.resolve("ca.pem");
    keytool(
        keystore,
        "-genkeypair -alias ca -keyalg RSA -keysize 2048 -dname CN=test-ca -validity 2 -ext bc:c"
            + " -storetype PKCS12");
    keytool(keystore, "-exportcert -rfc -alias ca", "-file", pem.toString());
    return pem;
  }

  /**
   * Runs keytool with {@code options} (split at spaces), then {@code more}, on {@code keystore}.
   */
  private static void keytool(Path keystore, String options, String... more) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(options.split(" ")));
    command.addAll(List.of(more));
    command.addAll(List.of("-keystore", keystore.toString(), "-storepass", "changeit"));
    Proc.Result r = Proc.run(command);
    assertEquals(0, r.exit(), r.output());
  }
}
