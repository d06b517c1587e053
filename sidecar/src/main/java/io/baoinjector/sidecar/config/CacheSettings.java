package io.baoinjector.sidecar.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The opt-in restart-proof cache of last-known-good values ({@code cache:}).
 *
 * @param path the encrypted cache file, in a volume only the sidecar mounts
 * @param keyFile 32 random bytes (or 64 hex digits), kept elsewhere (a mounted Secret)
 * @param allowDisk true: allow a cache directory that is not tmpfs
 */
public record CacheSettings(Path path, Path keyFile, boolean allowDisk) {
  public CacheSettings {
    Objects.requireNonNull(path, "path == null");
    Objects.requireNonNull(keyFile, "keyFile == null");
  }
}
