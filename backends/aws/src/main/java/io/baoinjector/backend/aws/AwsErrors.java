package io.baoinjector.backend.aws;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Turns what the SDK throws into a {@link BackendException} of the right kind, naming the secret
 * and the store's own error text. AWS's error messages name no values; a response the SDK could not
 * parse might, so that one is never quoted.
 */
final class AwsErrors {
  /** Error codes (lower case) of a refusal that AWS does not answer with a 403. */
  private static final Set<String> REFUSED_CREDENTIALS =
      Set.of(
          "unrecognizedclientexception",
          "invalidsignatureexception",
          "expiredtokenexception",
          "decryptionfailure");

  private final String region;

  AwsErrors(String region) {
    this.region = region;
  }

  /**
   * The secret as its reference names it, without the key ({@code aws:prod/db?stage=AWSPREVIOUS}):
   * the sidecar reports its failures under that name.
   */
  static String label(Reference ref) {
    return ref.secret().toString();
  }

  BackendException translate(Reference ref, SdkException e) {
    String label = label(ref);
    if (e instanceof AwsServiceException s) {
      return service(ref, label, s);
    }
    // a client-side failure: connection refused, a timeout, no credentials in the chain
    return new BackendException(
        Kind.UNAVAILABLE, label + ": " + safeMessage(e), unparsed(e) ? null : e);
  }

  private BackendException service(Reference ref, String label, AwsServiceException e) {
    String code = e.awsErrorDetails() != null ? e.awsErrorDetails().errorCode() : null;
    String text =
        e.awsErrorDetails() != null ? oneLine(e.awsErrorDetails().errorMessage(), 300) : null;
    String said =
        " (status "
            + e.statusCode()
            + (code != null ? ", " + code : "")
            + (text != null ? ": " + text : "")
            + ")";
    int status = e.statusCode();
    String c = code == null ? "" : code.toLowerCase(Locale.ROOT);
    if (e instanceof ResourceNotFoundException || c.equals("resourcenotfoundexception")) {
      // a plain name cannot miss a version; a stage or version id can
      String what =
          ref.stage() == null && ref.versionId() == null
              ? "no such secret"
              : "no such secret or version";
      return new BackendException(Kind.NOT_FOUND, label + ": " + what + " in " + region + said, e);
    }
    if (status == 403 || c.startsWith("accessdenied")) {
      return new BackendException(
          Kind.DENIED,
          label
              + ": access denied in "
              + region
              + ": the credentials need secretsmanager:GetSecretValue and DescribeSecret"
              + said,
          e);
    }
    if (REFUSED_CREDENTIALS.contains(c)) {
      return new BackendException(Kind.DENIED, label + ": refused in " + region + said, e);
    }
    if (status == 429 || status >= 500 || e.isThrottlingException()) {
      return new BackendException(
          Kind.UNAVAILABLE, label + ": Secrets Manager unavailable in " + region + said, e);
    }
    return new BackendException(Kind.INVALID, label + ": refused in " + region + said, e);
  }

  /**
   * The SDK's own message, which names the credential providers or the region providers it tried
   * and the I/O failure, but never for a response it could not parse (its parser quotes input).
   */
  static String safeMessage(RuntimeException e) {
    if (unparsed(e)) {
      return "Secrets Manager sent a response the SDK could not read";
    }
    // the SDK's own words (each credential provider tried and why) are longer than an endpoint's
    String m = oneLine(e.getMessage(), 2000);
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /**
   * What an endpoint (a proxy, a captive portal, a test server) says, as one line of at most {@code
   * max} characters: a log line is one line, whatever the far end sends.
   */
  private static String oneLine(String m, int max) {
    if (m == null) {
      return null;
    }
    String t = m.replaceAll("[\\s\\p{Cntrl}]+", " ").trim();
    return t.length() > max ? t.substring(0, max) + "…" : t;
  }

  private static boolean unparsed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (t.getClass().getName().contains("jackson")
          || (m != null && m.startsWith("Unable to unmarshall"))) {
        return true;
      }
    }
    return false;
  }
}
