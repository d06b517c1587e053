package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.baoinjector.shared.Reference;
import java.net.URI;
import java.nio.file.Path;

/**
 * One {@code backends:} block, bound by its {@code type:}. The block's name is its prefix in
 * references ({@code aws:prod/db#password}); the type decides the reference grammar and the jar
 * that reads it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = BackendSettings.Aws.class, name = "aws-secrets-manager"),
  @JsonSubTypes.Type(value = BackendSettings.Gcp.class, name = "gcp-secret-manager"),
  @JsonSubTypes.Type(value = BackendSettings.Infisical.class, name = "infisical")
})
public sealed interface BackendSettings {
  /** The types, as messages list them. */
  String TYPES = "aws-secrets-manager, gcp-secret-manager or infisical";

  /** The grammar of a type's references, or null for an unknown type. */
  static Reference.Store store(String type) {
    return switch (type) {
      case "aws-secrets-manager" -> Reference.Store.AWS;
      case "gcp-secret-manager" -> Reference.Store.GCP;
      case "infisical" -> Reference.Store.INFISICAL;
      default -> null;
    };
  }

  /** The {@code type:} as written. */
  String type();

  /** The grammar of references to this block, which its type decides. */
  default Reference.Store store() {
    return store(type());
  }

  /**
   * AWS Secrets Manager; credentials from the AWS default chain (environment, profile, web identity
   * for IRSA, container and instance metadata).
   *
   * @param region the region, e.g. us-east-1 (else AWS_REGION / the profile's)
   * @param endpoint another endpoint (a VPC endpoint, a local test server), or null
   */
  record Aws(
      @JsonPropertyDescription("us-east-1") String region,
      @JsonPropertyDescription("http://127.0.0.1:5000") URI endpoint)
      implements BackendSettings {
    @Override
    public String type() {
      return "aws-secrets-manager";
    }
  }

  /**
   * GCP Secret Manager over REST; credentials from Application Default Credentials (a service
   * account key file, workload identity).
   *
   * @param project the project id secrets are read from
   * @param endpoint another endpoint (tests), or null for https://secretmanager.googleapis.com
   * @param credentialsFile a service-account or external-account JSON file, or null for ADC
   */
  record Gcp(
      @JsonPropertyDescription("acme-prod") String project,
      @JsonPropertyDescription("https://secretmanager.googleapis.com") URI endpoint,
      Path credentialsFile)
      implements BackendSettings {
    @Override
    public String type() {
      return "gcp-secret-manager";
    }
  }

  /**
   * Infisical with universal auth (machine identity client id and secret, read from files).
   *
   * @param address e.g. https://app.infisical.com
   * @param project the project (workspace) id
   * @param environment the environment slug, e.g. prod
   */
  record Infisical(
      @JsonPropertyDescription("https://app.infisical.com") URI address,
      @JsonPropertyDescription("6f1e…") String project,
      @JsonPropertyDescription("prod") String environment,
      Path clientIdFile,
      Path clientSecretFile)
      implements BackendSettings {
    @Override
    public String type() {
      return "infisical";
    }
  }
}
