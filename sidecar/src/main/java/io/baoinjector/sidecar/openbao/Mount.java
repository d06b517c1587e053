package io.baoinjector.sidecar.openbao;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.SecretValue;
import java.util.Optional;

/**
 * The secrets engine mount a path lives on, as {@code sys/internal/ui/mounts/PATH} reports it.
 *
 * @param path the mount path with a trailing slash, e.g. {@code secret/}
 * @param type the engine type, e.g. {@code kv}, {@code database}
 * @param kvVersion 2 for KV v2, 1 for KV v1, 0 for anything that is not KV
 */
public record Mount(String path, String type, int kvVersion) {

  /**
   * What a refused lookup leaves: read the path directly, as the CLI's KV v1 fallback does (right
   * for KV v1 and every non-KV engine, wrong for KV v2, so it is looked up again after a failure).
   */
  public static final Mount GUESSED = new Mount("", "unknown", 1);

  /** What {@code GET sys/internal/ui/mounts/PATH} answers about {@code path}. */
  public static String lookupPath(String path) {
    return "sys/internal/ui/mounts/" + path;
  }

  /** The mount the lookup's {@code data} names; {@link #GUESSED} when it names none. */
  public static Mount of(JsonNode data) {
    String path = data.path("path").asText("");
    String type = data.path("type").asText("");
    boolean kv = type.equals("kv") || type.equals("generic");
    int version = !kv ? 0 : "2".equals(data.path("options").path("version").asText("1")) ? 2 : 1;
    return path.isEmpty() ? GUESSED : new Mount(path, type, version);
  }

  /**
   * Asks OpenBao which engine serves {@code path}: empty when none does.
   *
   * @throws PermissionDeniedException when the token may use nothing there
   */
  public static Optional<Mount> lookup(OpenBaoClient client, SecretValue token, String path) {
    try {
      Mount m = of(client.get(lookupPath(path), token).path("data"));
      return m.guessed() ? Optional.empty() : Optional.of(m);
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** The path relative to the mount: {@code secret/app/db} on {@code secret/} is {@code app/db}. */
  public String relative(String fullPath) {
    return fullPath.startsWith(path) ? fullPath.substring(path.length()) : fullPath;
  }

  /**
   * The path as {@code bao kv get} takes it: an API path ({@code vault:secret/data/app}) loses the
   * {@code data/} after a KV v2 mount; on KV v1 (and any other engine) {@code data/} is a real
   * segment and stays.
   */
  public String kvPath(String fullPath, boolean apiPath) {
    String rel = relative(fullPath);
    return apiPath && isKvV2() && rel.startsWith("data/")
        ? path + rel.substring("data/".length())
        : fullPath;
  }

  public boolean guessed() {
    return path.isEmpty();
  }

  public boolean isKvV2() {
    return kvVersion == 2;
  }
}
