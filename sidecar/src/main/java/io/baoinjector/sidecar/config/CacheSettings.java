package io.baoinjector.sidecar.config;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.nio.file.Path;

/**
 * The opt-in restart-proof cache of last-known-good values ({@code cache:}), bound as it is; {@link
 * ConfigValidator} checks where it and its key are.
 *
 * @param path the encrypted cache file, in a volume only the sidecar mounts
 * @param keyFile 32 random bytes (or 64 hex digits), kept elsewhere (a mounted Secret)
 * @param allowDisk true: allow a cache directory that is not tmpfs
 */
public record CacheSettings(
    @JsonPropertyDescription("/run/bao-injector-cache/values") Path path,
    @JsonPropertyDescription("/etc/bao-injector/cache-key") Path keyFile,
    Boolean allowDisk) {
  public CacheSettings {
    allowDisk = Boolean.TRUE.equals(allowDisk);
  }
}
