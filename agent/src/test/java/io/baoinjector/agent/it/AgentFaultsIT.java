package io.baoinjector.agent.it;

import static io.baoinjector.agent.it.Jvms.AGENT_JAR;
import static io.baoinjector.agent.it.Jvms.agentArg;
import static io.baoinjector.agent.it.Jvms.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.baoinjector.testkit.FaultRig;
import io.baoinjector.testkit.OpenBao;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault scenarios with the application's own view: an agent-attached JVM asks {@code
 * System.getenv("DB_PASSWORD")} every 150 ms all along, beside the socket reader of {@link
 * FaultRig}. OpenBao sealed, OpenBao killed past the token's TTL, the sidecar SIGKILLed: getenv
 * never returns nothing, a value never written or an older version, and a value written after the
 * recovery reaches it within 15 s. Figures go to {@code agent/target/fault-figures.txt}.
 */
@Timeout(600)
class AgentFaultsIT {
  @TempDir Path work;

  private interface Fault {
    void run(OpenBao bao, FaultRig rig) throws Exception;
  }

  private void scenario(String name, Fault fault) throws Exception {
    try (OpenBao bao = OpenBao.startDurable(work.resolve("bao"));
        FaultRig rig = FaultRig.create(work, bao, List.of(bao.address()), "5s", "1h")) {
      rig.write(bao);
      rig.startSidecar();
      rig.awaitFresh(1);
      try (AppJvm app =
              app(Jvms.JDK17, List.of(agentArg(AGENT_JAR, "socket=" + rig.socket())), Map.of());
          GetenvReader getenv = startReader(app, rig)) {
        fault.run(bao, rig);
        long written = System.nanoTime();
        int v = rig.write(bao);
        double socketFresh = rig.awaitFresh(v);
        double getenvFresh = getenv.awaitVersion(v, written);
        getenv.close();
        rig.figures("agent-" + name)
            .put("getenv_reads", getenv.reads())
            .put("getenv_failed", getenv.failed())
            .put("fresh_socket_s", socketFresh)
            .put("fresh_getenv_s", getenvFresh)
            .emit();
        rig.assertNoValueInLogs();
        assertEquals(0, getenv.failed(), getenv.summary());
        assertFalse(app.stderr().contains("canary-"), "a value reached the agent's output");
      }
    }
  }

  private static GetenvReader startReader(AppJvm app, FaultRig rig) throws Exception {
    app.awaitReady();
    return new GetenvReader(app, rig, 150);
  }

  @Test
  void sealedThenUnsealed() throws Exception {
    scenario(
        "sealed",
        (bao, rig) -> {
          bao.seal();
          FaultRig.pace(FaultRig.SOAK ? 60_000 : 10_000);
          bao.unseal();
          assertEquals(0, rig.reader().failed(), rig.why());
        });
  }

  @Test
  void openBaoKilledLongerThanTwiceTheTokenTtl() throws Exception {
    scenario(
        "openbao-killed",
        (bao, rig) -> {
          bao.kill();
          FaultRig.pace(FaultRig.SOAK ? 120_000 : 12_000);
          bao.restart();
          assertEquals(0, rig.reader().failed(), rig.why());
        });
  }

  @Test
  void sidecarSigkilledAndRestarted() throws Exception {
    scenario(
        "sidecar-sigkill",
        (bao, rig) -> {
          rig.killSidecar();
          FaultRig.pace(2_000); // the app runs on its last values meanwhile
          rig.restartSidecar().awaitReady(rig.socket());
        });
  }
}
