package io.baoinjector.backend.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.config.BackendSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void noRegionAnywhereIsASettingToFix(@TempDir Path home) throws Exception {
    String out = probe("noregion", home);
    assertTrue(
        out.contains(
            "probe INVALID: backends.aws: no AWS region: set region: in the block or AWS_REGION"
                + " (Unable to load region from any of the providers in the chain"),
        out);
  }

  @Test
  void noCredentialsAnywhereIsAnOutageNamingTheProvidersTried(@TempDir Path home) throws Exception {
    String out = probe("nocreds", home);
    assertTrue(
        out.contains(
            "probe UNAVAILABLE: aws:prod/db: Unable to load credentials from any of the providers"
                + " in the chain"),
        out);
    assertTrue(
        out.contains(
            "WebIdentityTokenFileCredentialsProvider(): Either the environment variable AWS_WEB_IDENTITY_TOKEN_FILE"),
        out);
  }

  @Test
  void anEndpointWithoutASchemeIsASettingToFix() {
    BackendException e =
        assertThrows(BackendException.class, () -> Moto.open(URI.create("localhost")));
    assertEquals(BackendException.Kind.INVALID, e.kind());
    assertEquals(
        "backends.aws.endpoint: localhost is no http(s) URL (write https://HOST[:PORT], e.g. a VPC"
            + " endpoint)",
        e.getMessage());
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
    return probe(what, null);
  }

  /** With {@code home}: no AWS_* variables, no ~/.aws, no instance metadata to ask. */
  private static String probe(String what, Path home) throws IOException, InterruptedException {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
                java.toString(),
                "-Xlog:class+load=info:stdout",
                "-Daws.disableEc2Metadata=true",
                "-cp",
                cp,
                FactoryProbe.class.getName(),
                what)
            .redirectErrorStream(true);
    if (home != null) {
      pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
      pb.environment().put("HOME", home.toString());
    }
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
    String s = new String(out, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), () -> s.substring(Math.max(0, s.length() - 3000)));
    return s;
  }
}
