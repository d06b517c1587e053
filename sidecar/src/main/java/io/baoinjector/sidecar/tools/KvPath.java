package io.baoinjector.sidecar.tools;

/**
 * A secret's path split at its mount, as {@code sys/internal/ui/mounts/PATH} reports it.
 *
 * @param mount the mount with its trailing slash, e.g. {@code secret/}
 * @param relative the path inside the mount, e.g. {@code app/prod}
 * @param kvVersion 2 for KV v2, 1 for KV v1, 0 for any other engine
 */
record KvPath(String mount, String relative, int kvVersion) {
  String full() {
    return mount + relative;
  }

  String dataPath() {
    return mount + "data/" + relative;
  }

  String metadataPath() {
    return mount + "metadata/" + relative;
  }

  @Override
  public String toString() {
    return full();
  }
}
