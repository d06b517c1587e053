package io.baoinjector.sidecar.tools.policy;

/**
 * The secrets engine serving a path, as {@code sys/internal/ui/mounts/PATH} reports it (the lookup
 * the sidecar itself makes before its first read).
 *
 * @param path the mount path with its trailing slash, e.g. {@code secret/}
 * @param type the engine type, e.g. {@code kv}, {@code database}
 * @param kvVersion 2 for KV v2, 1 for KV v1, 0 for any other engine
 */
record EngineMount(String path, String type, int kvVersion) {

  /** The path relative to the mount: {@code secret/app/db} on {@code secret/} is {@code app/db}. */
  String relative(String fullPath) {
    return fullPath.startsWith(path) ? fullPath.substring(path.length()) : fullPath;
  }
}
