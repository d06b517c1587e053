package io.baoinjector.testkit;

import java.nio.file.Path;

/**
 * The config of one {@link RaftCluster} node: {@code storage "raft"} joined to the others by {@code
 * retry_join}, and the cluster's one {@code seal "static"} key, so a node that restarts unseals on
 * its own.
 */
final class RaftConfig {
  private RaftConfig() {}

  /** Node {@code i}'s config: its data in {@code data}, joining every other node's API port. */
  static String hcl(int i, Path data, int[] apiPorts, int[] clusterPorts, Path keyFile) {
    StringBuilder joins = new StringBuilder();
    for (int j = 0; j < apiPorts.length; j++) {
      if (j != i) {
        joins.append(
            "  retry_join {\n    leader_api_addr = \"http://127.0.0.1:%d\"\n  }\n"
                .formatted(apiPorts[j]));
      }
    }
    return """
        storage "raft" {
          path                   = "%s"
          node_id                = "node-%d"
          performance_multiplier = 1
        %s}
        listener "tcp" {
          address         = "127.0.0.1:%d"
          cluster_address = "127.0.0.1:%d"
          tls_disable     = true
        }
        seal "static" {
          current_key_id = "fault-suite-1"
          current_key    = "file://%s"
        }
        api_addr      = "http://127.0.0.1:%d"
        cluster_addr  = "https://127.0.0.1:%d"
        ui            = false
        """
        .formatted(
            data, i, joins, apiPorts[i], clusterPorts[i], keyFile, apiPorts[i], clusterPorts[i]);
  }
}
