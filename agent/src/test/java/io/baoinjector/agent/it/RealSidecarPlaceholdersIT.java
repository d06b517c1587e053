package io.baoinjector.agent.it;

import static io.baoinjector.agent.it.ConfigPlaceholdersIT.CANARY;
import static io.baoinjector.agent.it.ConfigPlaceholdersIT.ROTATED;
import static io.baoinjector.agent.it.Jvms.AGENT_JAR;
import static io.baoinjector.agent.it.Jvms.agentArg;
import static io.baoinjector.agent.it.Jvms.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.TokenConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 end to end: OpenBao dev server → the sidecar → an unmodified application that loads
 * {@code conf/db.properties} (and an XML file, a resource bundle, a {@code -D} property) holding
 * {@code ${bao:DB_PASSWORD}}; {@code bao kv put} reaches the already-loaded objects. JDK 11 (no
 * Unix sockets) reads the sidecar's dotenv file output; the others its socket.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(300)
class RealSidecarPlaceholdersIT {
  @TempDir Path work;

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {11, 17, 21, 25})
  void aRotationInOpenBaoReachesPropertiesTheAppLoadedItself(int major, OpenBao bao)
      throws Exception {
    bao.put("app/db", Map.of("password", CANARY));
    ConfigPlaceholdersIT.writeConfig(work);
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      Path dotenv = t.resolve("app.env");
      Path cfg = work.resolve("sidecar.yaml");
      Files.writeString(
          cfg,
          TokenConfig.yaml(
              bao.address(),
              """
                DB_PASSWORD: secret/app/db#password
              refresh:
                interval: 1s
              outputs:
                socket:
                  path: %s
                files:
                  - path: %s
                    format: dotenv
              """
                  .formatted(sock, dotenv)));
      try (SidecarProcess sidecar =
          SidecarProcess.startReady(work, Map.of("BAO_TOKEN", bao.rootToken()), cfg, sock)) {
        try (AppJvm app =
            app(
                Jvms.jdk(major),
                List.of(
                    agentArg(AGENT_JAR, major == 11 ? "file=" + dotenv : "socket=" + sock),
                    "-Ddb.password.sys=${bao:DB_PASSWORD}"),
                Map.of())) {
          app.awaitReady();
          ConfigPlaceholdersIT.loadRotateAndCheck(
              app, work, () -> bao.put("app/db", Map.of("password", ROTATED)));
          app.close();
          assertEquals(ConfigPlaceholdersIT.WARNING, app.stderr());
        }
        assertFalse(sidecar.stderr().contains("canary"), sidecar.stderr());
      }
    }
  }
}
