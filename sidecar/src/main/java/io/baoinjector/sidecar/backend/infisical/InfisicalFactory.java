package io.baoinjector.sidecar.backend.infisical;

import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import io.baoinjector.sidecar.backend.BackendFactory;
import io.baoinjector.sidecar.config.BackendSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import okhttp3.HttpUrl;

/**
 * The built-in {@code type: infisical} backend: universal auth and the v4 secrets API over the
 * sidecar's own OkHttp and Jackson, so no SDK and no extra jar. Logs in at the first read, not
 * here: an Infisical that is down at startup only makes its names stale.
 */
public final class InfisicalFactory implements BackendFactory {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  @Override
  public String type() {
    return "infisical";
  }

  @Override
  public Backend open(String name, BackendSettings settings) {
    return open(name, settings, Clock.systemUTC());
  }

  Backend open(String name, BackendSettings settings, Clock clock) {
    if (!(settings instanceof BackendSettings.Infisical s)) {
      throw new IllegalArgumentException(
          "backends." + name + ": type " + settings.type() + " is not infisical");
    }
    HttpUrl address = address(name, s.address());
    require(name, "project", s.project() != null && !s.project().isBlank());
    require(name, "environment", s.environment() != null && !s.environment().isBlank());
    require(name, "client-id-file", s.clientIdFile() != null);
    require(name, "client-secret-file", s.clientSecretFile() != null);
    InfisicalHttp http = new InfisicalHttp(address, CONNECT_TIMEOUT, CALL_TIMEOUT);
    UniversalAuth auth =
        new UniversalAuth(name, s.clientIdFile(), s.clientSecretFile(), http, clock);
    return new InfisicalBackend(name, s.project().trim(), s.environment().trim(), http, auth);
  }

  private static HttpUrl address(String name, URI uri) {
    require(name, "address", uri != null);
    HttpUrl url = HttpUrl.parse(uri.toString());
    if (url == null) {
      throw new BackendException(
          Kind.INVALID,
          "backends."
              + name
              + ".address: "
              + uri
              + " is no http(s) URL; e.g. https://app.infisical.com");
    }
    return url;
  }

  private static void require(String name, String key, boolean present) {
    if (!present) {
      throw new BackendException(
          Kind.INVALID, "backends." + name + "." + key + ": required for type infisical");
    }
  }
}
