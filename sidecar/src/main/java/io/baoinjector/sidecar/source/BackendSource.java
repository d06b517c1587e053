package io.baoinjector.sidecar.source;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendSecret;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import io.baoinjector.sidecar.openbao.UnavailableException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A secret in a store other than OpenBao. Each round asks the backend's cheap version check and
 * reads only when the version moved (or the store has no such check); a backend's failure becomes
 * the refresher's own kinds, so a store that is down is an outage of that store alone, a denied
 * read is unresolved on its backoff, and a missing secret is absent with the store's words.
 */
final class BackendSource implements SecretSource {
  private final Reference secret;
  private final Backend backend;
  private final RefreshObserver observer;
  private SecretData last;
  private String version;

  BackendSource(Reference secret, Backend backend, RefreshObserver observer) {
    this.secret = secret;
    this.backend = backend;
    this.observer = observer;
  }

  @Override
  public String path() {
    return secret.toString();
  }

  @Override
  public SecretData refresh(Instant now) {
    try {
      return ask();
    } catch (BackendException e) {
      return failed(e);
    } catch (RuntimeException | LinkageError e) {
      // a backend's bug, or a class its jar lacks: that store's outage, not a lost round for all.
      // Its message may hold what the backend read, so only its kind is said.
      return failed(
          new BackendException(
              BackendException.Kind.UNAVAILABLE,
              secret + ": the backend failed (" + e.getClass().getSimpleName() + ")"));
    }
  }

  private SecretData ask() {
    if (last != null && version != null) {
      String v = backend.currentVersion(secret);
      if (version.equals(v)) {
        observer.backendRequest(secret.backend(), "unchanged");
        return last;
      }
    }
    BackendSecret s = backend.read(secret);
    observer.backendRequest(secret.backend(), "read");
    version = s.version();
    last = new SecretData(s.keys(), number(s.version()), true, Set.of(), null, s.text());
    return last;
  }

  private SecretData failed(BackendException e) {
    observer.backendRequest(secret.backend(), e.kind().name().toLowerCase(Locale.ROOT));
    if (e.kind() == BackendException.Kind.NOT_FOUND) {
      version = null;
      last = SecretData.absent(null, e.getMessage());
      return last;
    }
    throw translate(e);
  }

  /** A version that is a number (GCP's) shows as one; an AWS version id does not. */
  private static Integer number(String v) {
    if (v == null || !v.matches("[1-9][0-9]{0,8}")) {
      return null;
    }
    return Integer.valueOf(v);
  }

  private OpenBaoException translate(BackendException e) {
    String where = secret.toString();
    String m = e.getMessage() == null ? e.kind().name().toLowerCase(Locale.ROOT) : e.getMessage();
    String said = m.startsWith(where + ": ") ? m.substring(where.length() + 2) : m;
    return switch (e.kind()) {
      case UNAVAILABLE -> new UnavailableException("read", where, 0, List.of(), said, null);
      case DENIED -> new PermissionDeniedException("read", where, List.of(said));
      default -> new OpenBaoException("read", where, 0, List.of(), said, null);
    };
  }

  @Override
  public SecretData last() {
    return last;
  }

  @Override
  public void invalidate() {
    version = null;
  }
}
