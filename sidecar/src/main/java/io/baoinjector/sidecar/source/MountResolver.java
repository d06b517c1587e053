package io.baoinjector.sidecar.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.openbao.NotFoundException;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import io.baoinjector.sidecar.token.TokenProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds which engine serves a path the way {@code bao kv get} does: {@code GET
 * sys/internal/ui/mounts/PATH}. Answers are cached per mount, so N paths on {@code secret/} cost
 * one call. When the endpoint refuses (old servers, policies), the path is treated as KV v1 — the
 * CLI's own fallback — which is also right for non-KV engines (both are read directly).
 */
final class MountResolver {
  private static final Logger log = LoggerFactory.getLogger(MountResolver.class);

  private final OpenBaoClient client;
  private final TokenProvider tokens;
  private final Map<String, Mount> byMount = new ConcurrentHashMap<>();

  MountResolver(OpenBaoClient client, TokenProvider tokens) {
    this.client = client;
    this.tokens = tokens;
  }

  Mount resolve(String path) {
    for (Mount m : byMount.values()) {
      if (path.startsWith(m.path())) {
        return m;
      }
    }
    JsonNode data;
    try {
      data = client.get("sys/internal/ui/mounts/" + path, tokens.currentToken()).path("data");
    } catch (PermissionDeniedException | NotFoundException e) {
      log.debug("mount lookup for {} refused ({}); reading it directly", path, e.getMessage());
      return new Mount("", "unknown", 1);
    }
    String mountPath = data.path("path").asText("");
    String type = data.path("type").asText("");
    int version = 0;
    if (type.equals("kv") || type.equals("generic")) {
      version = "2".equals(data.path("options").path("version").asText("1")) ? 2 : 1;
    }
    Mount m = new Mount(mountPath, type, version);
    if (!mountPath.isEmpty()) {
      byMount.put(mountPath, m);
    }
    return m;
  }
}
