package io.baoinjector.backend.aws;

import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendFactory;
import io.baoinjector.sidecar.config.BackendSettings;

/**
 * The {@code aws-secrets-manager} backend's entry point, found by {@link java.util.ServiceLoader}
 * in this jar. It names no AWS SDK type outside {@link #open}, so asking its {@link #type()} loads
 * none of the SDK.
 */
public final class AwsFactory implements BackendFactory {
  public static final String TYPE = "aws-secrets-manager";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Backend open(String name, BackendSettings settings) {
    if (!(settings instanceof BackendSettings.Aws aws)) {
      throw new BackendException(
          BackendException.Kind.INVALID,
          "backends." + name + ": type " + settings.type() + " is not " + TYPE);
    }
    return AwsBackend.open(name, aws);
  }
}
