package io.baoinjector.backend.gcp;

import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import io.baoinjector.sidecar.backend.BackendFactory;
import io.baoinjector.sidecar.config.BackendSettings;
import java.net.URI;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.LoggerFactory;

/** {@code type: gcp-secret-manager}. */
public final class GcpSecretManagerFactory implements BackendFactory {
  static final String DEFAULT_ENDPOINT = "https://secretmanager.googleapis.com";

  /**
   * google-http-client logs whole request and response bodies at CONFIG, and a token exchange's
   * response body is an access token: pinned to INFO (held here, as java.util.logging keeps loggers
   * weakly) whatever logging.properties says.
   */
  private static final Logger HTTP_LOG = Logger.getLogger("com.google.api.client.http");

  @Override
  public String type() {
    return "gcp-secret-manager";
  }

  @Override
  public Backend open(String name, BackendSettings settings) {
    if (!(settings instanceof BackendSettings.Gcp gcp)) {
      throw new BackendException(Kind.INVALID, "backends." + name + ": not a " + type() + " block");
    }
    String project = gcp.project() == null ? "" : gcp.project().trim();
    if (project.isEmpty() || !project.matches("[A-Za-z0-9:._-]+")) {
      throw new BackendException(
          Kind.INVALID,
          "backends."
              + name
              + ".project: "
              + (project.isEmpty() ? "missing" : "not a project id")
              + "; set the GCP project id, e.g. project: acme-prod");
    }
    URI endpoint = gcp.endpoint() == null ? URI.create(DEFAULT_ENDPOINT) : gcp.endpoint();
    HttpUrl url = HttpUrl.parse(endpoint.toString());
    if (url == null) {
      throw new BackendException(
          Kind.INVALID,
          "backends." + name + ".endpoint: not an http(s) URL; e.g. " + DEFAULT_ENDPOINT);
    }
    HTTP_LOG.setLevel(Level.INFO);
    if ("true".equalsIgnoreCase(System.getenv("GOOGLE_SDK_JAVA_LOGGING"))) {
      LoggerFactory.getLogger(GcpSecretManagerFactory.class)
          .warn(
              "{}: GOOGLE_SDK_JAVA_LOGGING=true makes google-auth log its token exchanges;"
                  + " unset it",
              name);
    }
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(Duration.ofSeconds(15))
            .writeTimeout(Duration.ofSeconds(15))
            .callTimeout(Duration.ofSeconds(15))
            .retryOnConnectionFailure(false)
            .followRedirects(false)
            .build();
    OkHttpTransport transport = new OkHttpTransport(http);
    GcpCredentials creds =
        gcp.credentialsFile() == null
            ? GcpCredentials.applicationDefault(name, () -> transport)
            : GcpCredentials.fromFile(name, gcp.credentialsFile(), () -> transport);
    return new GcpSecretManager(name, project, url, http, creds);
  }
}
