package io.baoinjector.backend.aws;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.config.BackendSettings;
import io.baoinjector.testkit.MotoServer;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The tests' side of moto: an admin client to write secrets, and the backend's credentials. */
final class Moto {
  static final String REGION = "us-east-1";

  private Moto() {}

  /** A client of the test's own (static credentials), to create and rotate secrets. */
  static SecretsManagerClient admin(MotoServer moto) {
    return SecretsManagerClient.builder()
        .region(Region.of(REGION))
        .endpointOverride(moto.endpoint())
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("admin", "admin")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** The backend as the sidecar opens a block named {@code aws} at {@code endpoint}. */
  static Backend open(URI endpoint) {
    return new AwsFactory().open("aws", new BackendSettings.Aws(REGION, endpoint));
  }

  static Backend open(MotoServer moto) {
    return open(moto.endpoint());
  }

  static Reference ref(String text) {
    return Reference.parse(text, n -> Reference.Store.AWS);
  }

  /**
   * The backend reads the default credentials chain; its first link is the {@code aws.*} system
   * properties, so a test picks the identity there, until the returned handle is closed.
   */
  static Credentials credentials(String keyId, String secretKey) {
    System.setProperty("aws.accessKeyId", keyId);
    System.setProperty("aws.secretAccessKey", secretKey);
    return new Credentials();
  }

  /** Clears the identity {@link #credentials} set. */
  static final class Credentials implements AutoCloseable {
    @Override
    public void close() {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }
}
