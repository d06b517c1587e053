package io.baoinjector.sidecar.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.baoinjector.sidecar.cli.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus client reads its own properties (PROMETHEUS_CONFIG, IO_PROMETHEUS_* variables) at
 * its first use, once per JVM, so each case runs in a JVM of its own.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PrometheusPropertiesTest {
  @TempDir Path dir;

  @Test
  void aBadPrometheusPropertyIsOneLineAndExitTwo() throws Exception {
    assertOneLine(
        Map.of("IO_PROMETHEUS_METRICS_HISTOGRAM_NATIVE_ONLY", "maybe"),
        "bao-injector: the Prometheus client's properties (PROMETHEUS_CONFIG, -Dprometheus.config,"
            + " IO_PROMETHEUS_* variables): io.prometheus.metrics.histogram_native_only: Expecting"
            + " 'true' or 'false'. (fix or unset them; bao-injector needs none)");
    assertOneLine(
        Map.of("PROMETHEUS_CONFIG", dir.resolve("missing.properties").toString()),
        "bao-injector: the Prometheus client's properties (PROMETHEUS_CONFIG, -Dprometheus.config,"
            + " IO_PROMETHEUS_* variables): Failed to read Prometheus properties file. (fix or"
            + " unset them; bao-injector needs none)");
  }

  private void assertOneLine(Map<String, String> env, String expected) throws Exception {
    Path config = dir.resolve("sidecar.yaml");
    Files.writeString(
        config,
        "openbao:\n  address: http://127.0.0.1:1\nsecrets:\n  A: secret/a#b\n"
            + "outputs:\n  socket:\n    path: "
            + dir.resolve("s.sock")
            + "\n");
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "run",
                "-c",
                config.toString()));
    pb.environment().put("BAO_TOKEN", "canary-token");
    pb.environment().putAll(env);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, p.waitFor(), err);
    assertEquals(expected + "\n", err);
    assertFalse(err.contains("canary"), err);
  }
}
