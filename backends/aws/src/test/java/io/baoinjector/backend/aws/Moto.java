package io.baoinjector.backend.aws;

import io.baoinjector.sidecar.config.BackendSettings;
import io.baoinjector.testkit.MotoServer;
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

  static BackendSettings.Aws block(MotoServer moto) {
    return new BackendSettings.Aws(REGION, moto.endpoint());
  }

  /**
   * The backend reads the default credentials chain; its first link is the {@code aws.*} system
   * properties, so a test picks the identity there.
   */
  static void credentials(String keyId, String secretKey) {
    System.setProperty("aws.accessKeyId", keyId);
    System.setProperty("aws.secretAccessKey", secretKey);
  }

  static void clearCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }
}
