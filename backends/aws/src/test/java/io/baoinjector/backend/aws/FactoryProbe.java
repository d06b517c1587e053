package io.baoinjector.backend.aws;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.config.BackendSettings;
import java.net.URI;

/**
 * Run in a forked JVM by {@link AwsFactoryTest}: {@code type} asks the type only, {@code open}
 * opens, {@code noregion} opens without a region, {@code nocreds} reads without credentials.
 */
public final class FactoryProbe {
  private FactoryProbe() {}

  public static void main(String[] args) {
    AwsFactory f = new AwsFactory();
    System.out.println("probe type=" + f.type());
    BackendSettings.Aws unreachable =
        new BackendSettings.Aws("us-east-1", URI.create("http://127.0.0.1:9"));
    try {
      switch (args.length > 0 ? args[0] : "type") {
        case "open" -> {
          f.open("aws", unreachable).close();
          System.out.println("probe opened");
        }
        case "nocreds" -> {
          try (Backend b = f.open("aws", unreachable)) {
            b.read(Reference.parse("aws:prod/db#pw", n -> Reference.Store.AWS));
          }
        }
        case "noregion" -> f.open("aws", new BackendSettings.Aws(null, null));
        default -> {}
      }
    } catch (BackendException e) {
      System.out.println("probe " + e.kind() + ": " + e.getMessage());
    }
  }
}
