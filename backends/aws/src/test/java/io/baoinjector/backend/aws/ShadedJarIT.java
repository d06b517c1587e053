package io.baoinjector.backend.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.BaoBinary;
import io.baoinjector.testkit.MotoServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The packaged jar as the sidecar opens it: a class loader of its own over a parent that has the
 * sidecar and its libraries but no AWS class, the factory found by ServiceLoader, a real read.
 */
class ShadedJarIT {
  @Test
  void theShadedJarReadsOnItsOwnClassLoader() throws Exception {
    Path jar = BaoBinary.repoRoot().resolve("backends/aws/target");
    try (var files = Files.list(jar)) {
      jar =
          files
              .filter(p -> p.getFileName().toString().matches("bao-injector-backend-aws-.*\\.jar"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no shaded jar in backends/aws/target"));
    }
    String cp =
        Arrays.stream(
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"))
                    .split(File.pathSeparator))
            .filter(e -> !e.contains("software/amazon") && !e.contains("reactive-streams"))
            // failsafe puts this module's jar (or its classes) on the path: only the tests stay
            .filter(e -> !e.contains("backends/aws/target") || e.endsWith("test-classes"))
            .collect(Collectors.joining(File.pathSeparator));
    assertFalse(cp.contains("awssdk"), cp);

    try (MotoServer moto = MotoServer.start();
        SecretsManagerClient admin = Moto.admin(moto)) {
      admin.createSecret(r -> r.name("jar/db").secretString("{\"pw\":\"from-the-jar\"}"));
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Daws.accessKeyId=reader",
                  "-Daws.secretAccessKey=reader",
                  "-cp",
                  cp,
                  LoaderProbe.class.getName(),
                  jar.toString(),
                  moto.endpoint().toString(),
                  "aws:jar/db#pw")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
      assertEquals(0, p.exitValue(), out);
      List<String> lines = out.lines().filter(l -> l.startsWith("probe ")).toList();
      assertEquals(3, lines.size(), out);
      assertEquals("probe factory aws-secrets-manager from the jar's loader", lines.get(0), out);
      assertTrue(lines.get(1).matches("probe version [0-9a-f-]{36}"), out);
      assertEquals("probe value from-the-jar", lines.get(2), out);
    }
  }
}
