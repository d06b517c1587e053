package io.baoinjector.sidecar.source;

/**
 * The secrets engine mount a path lives on, as {@code sys/internal/ui/mounts/PATH} reports it.
 *
 * @param path the mount path with a trailing slash, e.g. {@code secret/}
 * @param type the engine type, e.g. {@code kv}, {@code database}
 * @param kvVersion 2 for KV v2, 1 for KV v1, 0 for anything that is not KV
 */
record Mount(String path, String type, int kvVersion) {

  /**
   * What a refused lookup leaves: read the path directly, as the CLI's KV v1 fallback does (right
   * for KV v1 and every non-KV engine, wrong for KV v2, so it is looked up again after a failure).
   */
  static final Mount GUESSED = new Mount("", "unknown", 1);

  /** The path relative to the mount: {@code secret/app/db} on {@code secret/} is {@code app/db}. */
  String relative(String fullPath) {
    return fullPath.startsWith(path) ? fullPath.substring(path.length()) : fullPath;
  }

  /**
   * The path as {@code bao kv get} takes it: an API path ({@code vault:secret/data/app}) loses the
   * {@code data/} after a KV v2 mount; on KV v1 (and any other engine) {@code data/} is a real
   * segment and stays.
   */
  String kvPath(String fullPath, boolean apiPath) {
    String rel = relative(fullPath);
    return apiPath && isKvV2() && rel.startsWith("data/")
        ? path + rel.substring("data/".length())
        : fullPath;
  }

  boolean guessed() {
    return path.isEmpty();
  }

  boolean isKvV2() {
    return kvVersion == 2;
  }
}
