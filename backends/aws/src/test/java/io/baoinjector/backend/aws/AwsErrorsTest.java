package io.baoinjector.backend.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.BackendException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What a far end says (a proxy's page, a captive portal, a hostile endpoint) reaches the log as one
 * short line.
 */
class AwsErrorsTest {
  private final AwsErrors errors = new AwsErrors("us-east-1");
  private final Reference ref = Moto.ref("aws:prod/db#password");

  @Test
  void aServiceErrorMessageIsOneShortLine() {
    String body = "line one\nFAKE [ERROR] injected\r\n\u001b[2J" + "x".repeat(10_000);
    AwsServiceException e =
        AwsServiceException.builder()
            .statusCode(403)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage(body).build())
            .build();
    BackendException b = errors.translate(ref, e);
    assertEquals(BackendException.Kind.DENIED, b.kind());
    assertFalse(b.getMessage().matches("(?s).*[\\n\\r\\u001b].*"), b.getMessage());
    assertTrue(b.getMessage().length() < 600, b.getMessage().length() + " characters");
    assertTrue(b.getMessage().contains("line one FAKE [ERROR] injected"), b.getMessage());
  }

  @Test
  void aClientErrorMessageIsOneBoundedLine() {
    BackendException b =
        errors.translate(ref, SdkClientException.create("a\nb" + "y".repeat(5_000)));
    assertEquals(BackendException.Kind.UNAVAILABLE, b.kind());
    assertFalse(b.getMessage().contains("\n"), b.getMessage());
    // the SDK's own text may run to 2,000 characters: "no credentials" names each provider
    // tried and why, which is what an operator needs to fix it
    assertTrue(b.getMessage().length() < 2_100, b.getMessage().length() + " characters");
    assertTrue(b.getMessage().endsWith("…"), "cut short, and says so");
  }
}
