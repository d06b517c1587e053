package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.FaultFigures;
import io.baoinjector.testkit.FaultRig;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.RaftCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * (e) A 3-node Raft cluster on loopback, the sidecar configured with all three addresses, under
 * continuous app reads: the leader steps down, the new leader is SIGKILLed, then the node the
 * sidecar is connected to is SIGKILLed. Zero failed reads, each new version served within 15 s of
 * its write, at most one login per failover, versions never go backwards (the reader fails a read
 * that does).
 */
@Timeout(600)
class RaftFailoverIT {

  @Test
  void leaderStepDownAndSigkillUnderContinuousReads(@TempDir Path work) throws Exception {
    int rounds = FaultRig.SOAK ? 6 : 1;
    try (RaftCluster cluster = RaftCluster.start(work.resolve("raft"), Duration.ofSeconds(120))) {
      OpenBao admin = cluster.leaderClient();
      // 1 h tokens: every login in this test is one a failover caused
      try (FaultRig rig = FaultRig.create(work, admin, cluster.addresses(), "1h", "24h")) {
        rig.write(admin);
        rig.startSidecar();
        rig.awaitFresh(1);
        double logins0 = rig.logins();
        List<String> events = new ArrayList<>();
        double maxFresh = 0;
        double maxElection = 0;
        int failovers = 0;
        for (int round = 0; round < rounds; round++) {
          // step-down; SIGKILL of the leader; SIGKILL of the node the sidecar is talking to
          for (String fault : List.of("stepdown", "sigkill-leader", "sigkill-sidecars-node")) {
            int leaderBefore = cluster.awaitLeader(Duration.ofSeconds(60));
            long t0 = System.nanoTime();
            boolean kill = !fault.equals("stepdown");
            int old =
                switch (fault) {
                  case "stepdown" -> cluster.stepDown();
                  case "sigkill-leader" -> cluster.leader();
                  default -> sidecarsNode(cluster, rig);
                };
            if (kill) {
              cluster.kill(old);
            }
            int now =
                old == leaderBefore || fault.equals("stepdown")
                    ? cluster.awaitNewLeader(old)
                    : cluster.awaitLeader(Duration.ofSeconds(60));
            double election = (System.nanoTime() - t0) / 1e9;
            int v = writeWithRetry(rig, cluster);
            double fresh = rig.awaitFresh(v);
            failovers++;
            events.add(
                String.format(
                    "%s:node%d:leader%d->%d:elect%.1fs:fresh%.1fs",
                    fault, old, leaderBefore, now, election, fresh));
            maxFresh = Math.max(maxFresh, fresh);
            maxElection = Math.max(maxElection, election);
            if (kill) {
              cluster.restart(old);
              cluster.waitHealthy(Duration.ofSeconds(60));
            }
          }
        }
        FaultRig.pace(2000); // reads go on after the last failover
        double logins = rig.logins() - logins0;
        rig.figures("raft-failover")
            .put("failovers", failovers)
            .put("events", String.join(",", events))
            .put("max_election_s", maxElection)
            .put("max_fresh_after_failover_s", maxFresh)
            .put("logins", (long) logins)
            .emit();
        rig.assertNoValueInLogs();
        assertEquals(0, rig.reader().failed(), rig.why());
        assertTrue(logins <= failovers, "logins " + logins + " for " + failovers + " failovers");
      }
    }
  }

  /** The node the sidecar has a connection to (the leader if it talks to it), from /proc. */
  static int sidecarsNode(RaftCluster c, FaultRig rig) {
    int leader = c.leader();
    int any = -1;
    for (int port : FaultFigures.connectedPorts(rig.sidecar().pid())) {
      int n = c.nodeOfPort(port);
      if (n == leader) {
        return n;
      }
      any = n >= 0 ? n : any;
    }
    if (any < 0) {
      throw new AssertionError("the sidecar has no connection to any node");
    }
    return any;
  }

  /** The new leader may still refuse writes for a moment after it reports active. */
  static int writeWithRetry(FaultRig rig, RaftCluster c) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        return rig.write(c.leaderClient());
      } catch (IllegalStateException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        FaultRig.pace(200);
      }
    }
  }
}
