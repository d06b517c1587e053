package io.baoinjector.backend.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import io.baoinjector.testkit.MotoServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Secrets Manager down, hung, throttling or failing: UNAVAILABLE, bounded in time, one request (the
 * SDK's retries are off). MockWebServer plays the answers moto never gives (5xx, throttling, and
 * AWS's own AccessDeniedException shape, a JSON 400).
 */
class AwsUnavailableIT {
  private static final Reference REF = Moto.ref("aws:app/db#pw");

  private Moto.Credentials reader;

  @BeforeEach
  void credentials() {
    reader = Moto.credentials("reader", "reader");
  }

  @AfterEach
  void clear() {
    reader.close();
  }

  @Test
  void motoStoppedIsUnavailableAtOnce() {
    MotoServer moto = MotoServer.start();
    try (SecretsManagerClient admin = Moto.admin(moto);
        Backend backend = Moto.open(moto)) {
      admin.createSecret(r -> r.name("app/db").secretString("{\"pw\":\"up\"}"));
      assertEquals("up", backend.read(REF).keys().get("pw").reveal());

      moto.close();

      long t0 = System.nanoTime();
      BackendException read = assertThrows(BackendException.class, () -> backend.read(REF));
      BackendException describe =
          assertThrows(BackendException.class, () -> backend.currentVersion(REF));
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      assertEquals(Kind.UNAVAILABLE, read.kind(), read.getMessage());
      assertEquals(Kind.UNAVAILABLE, describe.kind(), describe.getMessage());
      assertTrue(
          read.getMessage().startsWith("aws:app/db: Unable to execute HTTP request"),
          read.getMessage());
      assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "took " + took);
    } finally {
      moto.close();
    }
  }

  @Test
  void aServerThatNeverAnswersTimesOutWithinTheCallTimeout() throws Exception {
    // the kernel accepts the connection into the backlog; nobody ever reads or answers
    try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Backend backend = Moto.open(URI.create("http://127.0.0.1:" + hung.getLocalPort()))) {
      long t0 = System.nanoTime();
      BackendException e = assertThrows(BackendException.class, () -> backend.read(REF));
      Duration took = Duration.ofNanos(System.nanoTime() - t0);

      assertEquals(Kind.UNAVAILABLE, e.kind(), e.getMessage());
      assertTrue(took.compareTo(Duration.ofSeconds(14)) > 0, "took " + took);
      assertTrue(took.compareTo(Duration.ofSeconds(25)) < 0, "took " + took);
    }
  }

  @Test
  void fiveHundredsAndThrottlingAreUnavailableAndNeverRetried() throws Exception {
    try (MockWebServer aws = new MockWebServer()) {
      aws.enqueue(error(500, "InternalServiceError", "An error occurred on the server side."));
      aws.enqueue(error(400, "ThrottlingException", "Rate exceeded"));
      aws.enqueue(error(500, "InternalServiceError", "never asked for"));
      aws.start(InetAddress.getLoopbackAddress(), 0);
      try (Backend backend = Moto.open(aws.url("/").uri())) {
        BackendException five = assertThrows(BackendException.class, () -> backend.read(REF));
        assertEquals(Kind.UNAVAILABLE, five.kind(), five.getMessage());
        assertEquals(1, aws.getRequestCount(), "a 500 is not retried by the SDK");
        assertEquals(
            "aws:app/db: Secrets Manager unavailable in us-east-1 (status 500,"
                + " InternalServiceError: An error occurred on the server side.)",
            five.getMessage());

        BackendException slow = assertThrows(BackendException.class, () -> backend.read(REF));
        assertEquals(Kind.UNAVAILABLE, slow.kind(), slow.getMessage());
        assertEquals(2, aws.getRequestCount(), "throttling is not retried by the SDK");
      }
    }
  }

  @Test
  void awsAccessDeniedShapeIsDenied() throws Exception {
    // AWS answers a denial as a JSON 400 (moto as a 403); both are DENIED
    try (MockWebServer aws = new MockWebServer()) {
      aws.enqueue(
          error(
              400,
              "AccessDeniedException",
              "User: arn:aws:sts::123456789012:assumed-role/app/pod is not authorized to perform:"
                  + " secretsmanager:GetSecretValue on resource: app/db because no"
                  + " identity-based policy allows the secretsmanager:GetSecretValue action"));
      aws.start(InetAddress.getLoopbackAddress(), 0);
      try (Backend backend = Moto.open(aws.url("/").uri())) {
        BackendException e = assertThrows(BackendException.class, () -> backend.read(REF));
        assertEquals(Kind.DENIED, e.kind(), e.getMessage());
        assertTrue(
            e.getMessage()
                .startsWith(
                    "aws:app/db: access denied in us-east-1: the credentials need"
                        + " secretsmanager:GetSecretValue and DescribeSecret (status 400,"
                        + " AccessDeniedException: User: arn:aws:sts::123456789012:"),
            e.getMessage());
        assertEquals(
            "secretsmanager.GetSecretValue",
            aws.takeRequest().getHeader("X-Amz-Target"),
            "the request is the AWS JSON protocol's");
      }
    }
  }

  // the AWS JSON 1.1 protocol's error shape
  private static MockResponse error(int status, String type, String message) {
    return new MockResponse()
        .setResponseCode(status)
        .setHeader("Content-Type", "application/x-amz-json-1.1")
        .setHeader("x-amzn-RequestId", "4d8f3a7e-0000-4000-8000-000000000000")
        .setBody("{\"__type\":\"" + type + "\",\"Message\":\"" + message + "\"}");
  }
}
