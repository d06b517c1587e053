package io.baoinjector.backend.gcp;

import com.google.api.client.http.HttpResponseException;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bearer token for Secret Manager calls: a credentials file (service-account key or external
 * account, read once at open) or Application Default Credentials (found on first use, since on GKE
 * the metadata server may answer only after the sidecar starts). google-auth's own retries are off:
 * every retry is the sidecar's.
 */
final class GcpCredentials {
  static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

  /** OAuth error fields (RFC 6749 §5.2): codes and descriptions, never a token. */
  private static final Pattern OAUTH_ERROR =
      Pattern.compile("\"error(?:_description)?\"\\s*:\\s*\"([^\"]{1,200})\"");

  private final String name;
  private final HttpTransportFactory transport;
  private GoogleCredentials credentials;
  private boolean refused;

  private GcpCredentials(String name, HttpTransportFactory transport, GoogleCredentials loaded) {
    this.name = name;
    this.transport = transport;
    this.credentials = loaded == null ? null : prepare(loaded);
  }

  /** Application Default Credentials, looked up on first use. */
  static GcpCredentials applicationDefault(String name, HttpTransportFactory transport) {
    return new GcpCredentials(name, transport, null);
  }

  /**
   * The credentials in {@code file}, read now: a missing or malformed file is the user's to fix,
   * not the store's to recover from, so it is INVALID (a config error at startup), not UNAVAILABLE.
   */
  // the file is the operator's own config, and any credential type is meant to be accepted
  // (service account, external account for workload identity federation)
  @SuppressWarnings("deprecation")
  static GcpCredentials fromFile(String name, Path file, HttpTransportFactory transport) {
    String key = "backends." + name + ".credentials-file";
    try (InputStream in = Files.newInputStream(file)) {
      return new GcpCredentials(name, transport, GoogleCredentials.fromStream(in, transport));
    } catch (NoSuchFileException e) {
      throw new BackendException(Kind.INVALID, key + ": file not found: " + file);
    } catch (AccessDeniedException e) {
      throw new BackendException(Kind.INVALID, key + ": cannot read " + file + " (permission)");
    } catch (IOException | RuntimeException e) {
      // the parser's message may quote the file (a private key): only the path is named
      throw new BackendException(
          Kind.INVALID,
          key
              + ": "
              + file
              + " is no Google credentials JSON (a service-account key or an external-account"
              + " config from gcloud iam workload-identity-pools create-cred-config)");
    }
  }

  private static GoogleCredentials prepare(GoogleCredentials c) {
    return c.createWithCustomRetryStrategy(false).createScoped(List.of(SCOPE));
  }

  /** A current access token for the {@code Authorization: Bearer} header. */
  String bearer() {
    if (credentials == null) {
      try {
        credentials = prepare(GoogleCredentials.getApplicationDefault(transport));
      } catch (IOException | RuntimeException e) {
        throw new BackendException(
            Kind.UNAVAILABLE,
            name
                + ": no Application Default Credentials ("
                + e.getClass().getSimpleName()
                + "); set credentials-file, GOOGLE_APPLICATION_CREDENTIALS, or run with workload"
                + " identity");
      }
    }
    try {
      if (refused) {
        credentials.refresh();
        refused = false;
      } else {
        credentials.refreshIfExpired();
      }
    } catch (IOException | RuntimeException e) {
      throw new BackendException(Kind.UNAVAILABLE, name + ": login failed: " + why(e));
    }
    AccessToken token = credentials.getAccessToken();
    if (token == null) {
      throw new BackendException(Kind.UNAVAILABLE, name + ": login returned no access token");
    }
    return token.getTokenValue();
  }

  /** The store refused the token (401: revoked, or the clock is off): log in anew next call. */
  void refused() {
    refused = true;
  }

  /**
   * What went wrong, from the parts that carry no credential: the token endpoint's status and its
   * OAuth error fields, or the connection failure's type and message.
   */
  private static String why(Throwable e) {
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      root = t;
      if (t instanceof HttpResponseException r) {
        StringBuilder b = new StringBuilder("token endpoint answered ").append(r.getStatusCode());
        Matcher m = OAUTH_ERROR.matcher(r.getContent() == null ? "" : r.getContent());
        while (m.find()) {
          b.append(' ').append(m.group(1));
        }
        return b.toString();
      }
    }
    if (root instanceof IOException && root.getClass().getName().startsWith("java.")) {
      return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
    return root.getClass().getSimpleName();
  }
}
