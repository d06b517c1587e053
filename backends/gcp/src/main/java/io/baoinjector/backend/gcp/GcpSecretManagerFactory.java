package io.baoinjector.backend.gcp;

import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import io.baoinjector.sidecar.backend.BackendFactory;
import io.baoinjector.sidecar.config.BackendSettings;
import java.net.URI;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.LoggerFactory;

/** {@code type: gcp-secret-manager}. */
public final class GcpSecretManagerFactory implements BackendFactory {
  static final String DEFAULT_ENDPOINT = "https://secretmanager.googleapis.com";

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
    // google-auth turns google-http-client's body logging off for its token calls, but its own
    // slf4j logging of token responses is switched on by this variable alone
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
