package io.baoinjector.sidecar.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.openbao.NotFoundException;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import java.util.Optional;

/**
 * The secrets engine serving a path, as {@code sys/internal/ui/mounts/PATH} reports it (the lookup
 * the sidecar itself makes before its first read).
 *
 * @param path the mount path with its trailing slash, e.g. {@code secret/}
 * @param type the engine type, e.g. {@code kv}, {@code database}
 * @param kvVersion 2 for KV v2, 1 for KV v1, 0 for any other engine
 */
public record EngineMount(String path, String type, int kvVersion) {

  public static String lookupPath(String path) {
    return "sys/internal/ui/mounts/" + path;
  }

  /**
   * Asks OpenBao which engine serves {@code path}: empty when none does.
   *
   * @throws PermissionDeniedException when the token may use nothing there
   */
  public static Optional<EngineMount> lookup(OpenBaoClient client, SecretValue token, String path) {
    JsonNode d;
    try {
      d = client.get(lookupPath(path), token).path("data");
    } catch (NotFoundException e) {
      return Optional.empty();
    }
    String mount = d.path("path").asText("");
    String type = d.path("type").asText("");
    int version = 0;
    if (type.equals("kv") || type.equals("generic")) {
      version = "2".equals(d.path("options").path("version").asText("1")) ? 2 : 1;
    }
    return mount.isEmpty() ? Optional.empty() : Optional.of(new EngineMount(mount, type, version));
  }

  /** The path relative to the mount: {@code secret/app/db} on {@code secret/} is {@code app/db}. */
  public String relative(String fullPath) {
    return fullPath.startsWith(path) ? fullPath.substring(path.length()) : fullPath;
  }
}
