package io.baoinjector.backend.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.config.BackendSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AwsFactoryTest {
  @Test
  void askingTheTypeLoadsNoAwsClass() throws Exception {
    String out = probe("type");
    assertTrue(out.contains("probe type=aws-secrets-manager"), out);
    assertEquals(List.of(), awsClasses(out), "classes loaded before open");
  }

  @Test
  void openingLoadsTheSdk() throws Exception {
    // the control: the same probe sees the SDK load once the backend is opened
    String out = probe("open");
    assertTrue(out.contains("probe opened"), out);
    assertTrue(awsClasses(out).size() > 100, "SDK classes seen: " + awsClasses(out).size());
  }

  @Test
  void aBlockOfAnotherTypeIsRefused() {
    BackendException e =
        assertThrows(
            BackendException.class,
            () ->
                new AwsFactory()
                    .open("gcp", new BackendSettings.Gcp("p", null, Path.of("/nonexistent"))));
    assertEquals(BackendException.Kind.INVALID, e.kind());
    assertEquals(
        "backends.gcp: type gcp-secret-manager is not aws-secrets-manager", e.getMessage());
  }

  private static List<String> awsClasses(String log) {
    return log.lines().filter(l -> l.contains("software.amazon.")).collect(Collectors.toList());
  }

  private static String probe(String what) throws IOException, InterruptedException {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Xlog:class+load=info:stdout",
                "-cp",
                cp,
                FactoryProbe.class.getName(),
                what)
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
    String s = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), () -> s.substring(Math.max(0, s.length() - 3000)));
    return s;
  }
}
