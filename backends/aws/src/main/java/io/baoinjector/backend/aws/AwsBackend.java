package io.baoinjector.backend.aws;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendSecret;
import io.baoinjector.sidecar.config.BackendSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * AWS Secrets Manager through the AWS SDK v2: {@code GetSecretValue} to read, {@code
 * DescribeSecret}'s version stages to tell cheaply whether a secret changed. One client per block,
 * on the URL-connection HTTP client, with the SDK's retries off: the sidecar's backoff is the only
 * one.
 */
final class AwsBackend implements Backend {
  static final String CURRENT = "AWSCURRENT";
  static final Duration CONNECT = Duration.ofSeconds(5);
  static final Duration CALL = Duration.ofSeconds(15);

  private final SecretsManagerClient client;
  private final DefaultCredentialsProvider credentials;
  private final AwsErrors errors;

  private AwsBackend(SecretsManagerClient client, DefaultCredentialsProvider credentials) {
    this.client = client;
    this.credentials = credentials;
    this.errors = new AwsErrors(client.serviceClientConfiguration().region().id());
  }

  static AwsBackend open(String name, BackendSettings.Aws settings) {
    URI endpoint = settings.endpoint();
    if (endpoint != null
        && (endpoint.getHost() == null
            || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())))) {
      throw new BackendException(
          BackendException.Kind.INVALID,
          "backends."
              + name
              + ".endpoint: "
              + endpoint
              + " is no http(s) URL (write https://HOST[:PORT], e.g. a VPC endpoint)");
    }
    return inOwnLoader(
        () -> {
          // the credentials chain resolves on the first call: no credentials yet is no reason to
          // refuse the block (IRSA's token file or the instance role may come later)
          DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
          SecretsManagerClientBuilder b =
              SecretsManagerClient.builder()
                  .credentialsProvider(credentials)
                  .httpClientBuilder(
                      UrlConnectionHttpClient.builder()
                          .connectionTimeout(CONNECT)
                          .socketTimeout(CALL))
                  .overrideConfiguration(
                      o ->
                          o.retryStrategy(AwsRetryStrategy.doNotRetry())
                              .apiCallTimeout(CALL)
                              .apiCallAttemptTimeout(CALL));
          if (settings.region() != null && !settings.region().isBlank()) {
            b.region(Region.of(settings.region()));
          }
          if (endpoint != null) {
            b.endpointOverride(endpoint);
          }
          try {
            return new AwsBackend(b.build(), credentials);
          } catch (SdkException | IllegalArgumentException e) {
            // IllegalArgumentException: a region that is no name
            credentials.close();
            // no region anywhere in the chain is a setting to fix, not an outage to wait out
            String fix =
                settings.region() == null || settings.region().isBlank()
                    ? "no AWS region: set region: in the block or AWS_REGION"
                    : "the AWS SDK refused the block";
            throw new BackendException(
                BackendException.Kind.INVALID,
                "backends." + name + ": " + fix + " (" + AwsErrors.safeMessage(e) + ")");
          }
        });
  }

  @Override
  public BackendSecret read(Reference ref) {
    GetSecretValueRequest.Builder req = GetSecretValueRequest.builder().secretId(ref.path());
    if (ref.versionId() != null) {
      req.versionId(ref.versionId());
    } else if (ref.stage() != null) {
      req.versionStage(ref.stage());
    }
    GetSecretValueResponse resp = call(ref, () -> client.getSecretValue(req.build()));
    if (resp.secretString() != null) {
      return BackendSecret.ofText(resp.secretString(), resp.versionId());
    }
    throw new BackendException(
        BackendException.Kind.INVALID,
        AwsErrors.label(ref)
            + ": holds SecretBinary; store a SecretString (text or a JSON object)");
  }

  @Override
  public String currentVersion(Reference ref) {
    if (ref.versionId() != null) {
      return ref.versionId();
    }
    String stage = ref.stage() != null ? ref.stage() : CURRENT;
    DescribeSecretResponse d = call(ref, () -> client.describeSecret(r -> r.secretId(ref.path())));
    for (Map.Entry<String, List<String>> e : d.versionIdsToStages().entrySet()) {
      if (e.getValue().contains(stage)) {
        return e.getKey();
      }
    }
    throw new BackendException(
        BackendException.Kind.NOT_FOUND,
        AwsErrors.label(ref) + ": no version of the secret carries stage " + stage);
  }

  @Override
  public void close() {
    inOwnLoader(
        () -> {
          client.close();
          credentials.close();
          return null;
        });
  }

  private <T> T call(Reference ref, Supplier<T> call) {
    return inOwnLoader(
        () -> {
          try {
            return call.get();
          } catch (SdkException e) {
            throw errors.translate(ref, e);
          }
        });
  }

  /**
   * Runs {@code body} with this jar's class loader as the context loader: the SDK finds its
   * interceptors and the web identity (STS) provider through it, and the sidecar's own loader
   * cannot see this jar.
   */
  private static <T> T inOwnLoader(Supplier<T> body) {
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    t.setContextClassLoader(AwsBackend.class.getClassLoader());
    try {
      return body.get();
    } finally {
      t.setContextClassLoader(before);
    }
  }
}
