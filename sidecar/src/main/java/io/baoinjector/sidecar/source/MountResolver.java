package io.baoinjector.sidecar.source;

import io.baoinjector.sidecar.openbao.Mount;
import io.baoinjector.sidecar.openbao.NotFoundException;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds which engine serves a path the way {@code bao kv get} does: {@code GET
 * sys/internal/ui/mounts/PATH}. Answers are cached per mount, so N paths on {@code secret/} cost
 * one call.
 *
 * <p>The lookup goes through the {@link Reader}, so a 403 follows the one 403 rule: a dead token is
 * replaced and the lookup asked again, never taken for an answer. OpenBao lets any token look up a
 * mount it may use some path on, whatever its policy says about {@code sys/internal/ui/mounts}; a
 * 403 with a live token means the token may use nothing there. Then (and on a 404, old servers) the
 * path is read directly, the CLI's KV v1 fallback, and the guess is {@link Mount#guessed() marked}
 * so the refresher looks it up again once the read fails.
 */
final class MountResolver {
  private static final Logger log = LoggerFactory.getLogger(MountResolver.class);

  private final Reader reader;
  private final Map<String, Mount> byMount = new ConcurrentHashMap<>();

  MountResolver(Reader reader) {
    this.reader = reader;
  }

  Mount resolve(String path) {
    Mount cached = cached(path);
    if (cached != null) {
      return cached;
    }
    Mount m;
    try {
      m = Mount.of(reader.get(Mount.lookupPath(path)).path("data"));
    } catch (PermissionDeniedException | NotFoundException e) {
      log.debug("mount lookup for {} refused ({}); reading it directly", path, e.getMessage());
      return Mount.GUESSED;
    }
    if (m.guessed()) {
      return m;
    }
    byMount.put(m.path(), m);
    return m;
  }

  /** Forgets the cached mount of {@code path}, so its next lookup asks OpenBao again. */
  void forget(String path) {
    Mount m = cached(path);
    if (m != null) {
      byMount.remove(m.path(), m);
    }
  }

  /** The longest cached mount path that is a prefix of {@code path} (mounts can nest). */
  private Mount cached(String path) {
    Mount best = null;
    for (Mount m : byMount.values()) {
      if (path.startsWith(m.path()) && (best == null || m.path().length() > best.path().length())) {
        best = m;
      }
    }
    return best;
  }
}
