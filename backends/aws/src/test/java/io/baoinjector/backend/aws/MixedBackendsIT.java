package io.baoinjector.backend.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baoinjector.testkit.Await;
import io.baoinjector.testkit.BaoBinary;
import io.baoinjector.testkit.MotoServer;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.UnixHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The real sidecar jar with OpenBao, AWS (moto, through this module's packaged jar) and a file in
 * one config: all three served over the socket, an AWS rotation reaches it, and moto stopped marks
 * only the AWS names stale while OpenBao's keep refreshing.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(300)
class MixedBackendsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String BAO_V1 = "bao-canary-m1x4";
  static final String BAO_V2 = "bao-canary-m2y5";
  static final String AWS_V1 = "aws-canary-m3z6";
  static final String AWS_V2 = "aws-canary-m4a7";
  static final String FILE_V = "file-canary-m5b8";
  static final String FILE_V2 = "file-canary-m6c9";

  @Test
  void openBaoAwsAndAFileServedTogetherAndMotoDownIsStaleForAwsOnly(OpenBao bao, @TempDir Path work)
      throws Exception {
    bao.put("app/db", Map.of("password", BAO_V1));
    Path env = work.resolve("local.env");
    Files.writeString(env, "FEATURE_TOKEN=" + FILE_V + "\n");
    try (MotoServer moto = MotoServer.start();
        SecretsManagerClient admin = Moto.admin(moto);
        TmpfsDir t = new TmpfsDir()) {
      admin.createSecret(r -> r.name("prod/api").secretString("{\"key\":\"" + AWS_V1 + "\"}"));
      Path sock = t.resolve("agent.sock");
      Path dotenv = t.resolve("app.env");
      Path cfg = work.resolve("sidecar.yaml");
      Files.writeString(
          cfg,
          """
          openbao:
            address: %s
          backends:
            aws:
              type: aws-secrets-manager
              region: us-east-1
              endpoint: %s
          secrets:
            DB_PASSWORD: secret/app/db#password
            API_KEY: aws:prod/api#key
            FEATURE_TOKEN: file:%s#FEATURE_TOKEN
          refresh:
            interval: 1s
          outputs:
            socket:
              path: %s
              mode: "0600"
            files:
              - path: %s
                format: dotenv
          """
              .formatted(bao.address(), moto.endpoint(), env, sock, dotenv));
      Map<String, String> vars =
          Map.of(
              "BAO_TOKEN", bao.rootToken(),
              "BAO_INJECTOR_BACKEND_DIR",
                  BaoBinary.repoRoot().resolve("backends/aws/target").toString(),
              "AWS_ACCESS_KEY_ID", "reader",
              "AWS_SECRET_ACCESS_KEY", "reader",
              "AWS_EC2_METADATA_DISABLED", "true");
      try (SidecarProcess p = SidecarProcess.start(work, vars, "run", "-c", cfg.toString());
          App app = App.start(sock, "DB_PASSWORD", "API_KEY", "FEATURE_TOKEN")) {
        JsonNode health = JSON.readTree(p.awaitReady(sock).body());
        app.awaitValue("DB_PASSWORD", BAO_V1);
        app.awaitValue("API_KEY", AWS_V1);
        app.awaitValue("FEATURE_TOKEN", FILE_V);
        for (String line :
            List.of(
                "DB_PASSWORD='" + BAO_V1 + "'",
                "API_KEY='" + AWS_V1 + "'",
                "FEATURE_TOKEN='" + FILE_V + "'")) {
          assertTrue(Files.readString(dotenv).contains(line), "the file output lacks a name");
        }
        assertEquals(BAO_V1, value(sock, "DB_PASSWORD"));
        assertEquals(AWS_V1, value(sock, "API_KEY"));
        assertEquals(FILE_V, value(sock, "FEATURE_TOKEN"));
        assertFalse(
            health.path("backends").path("aws").path("stale").asBoolean(), health.toString());
        assertEquals(
            0, health.path("backends").path("aws").path("unresolved").size(), health.toString());

        admin.putSecretValue(
            r -> r.secretId("prod/api").secretString("{\"key\":\"" + AWS_V2 + "\"}"));
        Await.until(
            Duration.ofSeconds(30),
            () -> "the AWS rotation never reached the socket",
            () -> AWS_V2.equals(value(sock, "API_KEY")));
        app.awaitValue("API_KEY", AWS_V2);
        Await.until(
            Duration.ofSeconds(30),
            () -> "the AWS rotation never reached the file output",
            () -> Files.readString(dotenv).contains("API_KEY='" + AWS_V2 + "'"));
        Files.writeString(env, "FEATURE_TOKEN=" + FILE_V2 + "\n");
        app.awaitValue("FEATURE_TOKEN", FILE_V2);

        moto.close();
        Await.until(
            Duration.ofSeconds(40),
            () -> "aws never went stale:\n" + p.stderr(),
            () -> health(sock).path("backends").path("aws").path("stale").asBoolean());
        JsonNode down = health(sock);
        assertEquals(AWS_V2, value(sock, "API_KEY"), "the last value is still served");
        bao.put("app/db", Map.of("password", BAO_V2));
        Await.until(
            Duration.ofSeconds(30),
            () -> "OpenBao stopped refreshing while AWS was down",
            () -> BAO_V2.equals(value(sock, "DB_PASSWORD")));
        app.awaitValue("DB_PASSWORD", BAO_V2);
        assertEquals(FILE_V2, value(sock, "FEATURE_TOKEN"));
        assertTrue(
            health(sock).path("backends").path("aws").path("stale").asBoolean(), down.toString());

        String out = p.stdout() + p.stderr();
        for (String v : List.of(BAO_V1, BAO_V2, AWS_V1, AWS_V2, FILE_V, FILE_V2)) {
          assertFalse(out.contains(v), "a value in the sidecar's output");
        }
        assertFalse(down.path("backends").path("file").path("stale").asBoolean(), down.toString());
        String metrics = UnixHttp.get(sock, "/metrics").body();
        assertTrue(metrics.contains("bao_injector_backend_stale{backend=\"aws\"} 1"), metrics);
        assertTrue(metrics.contains("bao_injector_backend_stale{backend=\"file\"} 0"), metrics);
      }
    }
  }

  /** An agent-attached JVM running {@link EnvProbe}: what {@code System.getenv} returns, live. */
  static final class App implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

    private App(Process process) {
      this.process = process;
      Thread t =
          new Thread(
              () -> {
                try (var r = process.inputReader()) {
                  r.lines().forEach(lines::add);
                } catch (IOException e) {
                  // the process ended
                }
              },
              "env-probe");
      t.setDaemon(true);
      t.start();
    }

    static App start(Path sock, String... names) throws Exception {
      Path agent = BaoBinary.repoRoot().resolve("agent/target/bao-injector-agent.jar");
      assertTrue(Files.isRegularFile(agent), "build the agent first: " + agent);
      String classes =
          Path.of(EnvProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString();
      List<String> cmd = new java.util.ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-javaagent:" + agent + "=socket=" + sock + ",wait=60s");
      cmd.addAll(List.of("-cp", classes, EnvProbe.class.getName()));
      cmd.addAll(List.of(names));
      return new App(
          new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start());
    }

    void awaitValue(String name, String value) throws Exception {
      String line = name + "=" + EnvProbe.fingerprint(value);
      Await.until(
          Duration.ofSeconds(30),
          () -> name + " never reached System.getenv in the agent-attached JVM; it saw " + lines,
          () -> lines.contains(line));
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  private static JsonNode health(Path sock) throws IOException {
    return JSON.readTree(UnixHttp.get(sock, "/v1/health").body());
  }

  private static String value(Path sock, String name) throws IOException {
    UnixHttp.Response r = UnixHttp.get(sock, "/v1/secrets/" + name);
    assertEquals(200, r.status(), r.body());
    return JSON.readTree(r.body()).get("value").asText();
  }
}
