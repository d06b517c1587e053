package io.baoinjector.sidecar.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where {@code cache:} and its key may live. The application mounts the socket's and the files'
 * directories, so a cache there is readable by it (and by whatever else shares the volume); a key
 * beside the cache would let one stolen directory decrypt it. Directories are compared where they
 * really are (symlinks resolved) when they exist.
 */
final class CachePlacement {
  private CachePlacement() {}

  static void check(CacheSettings s, OutputSettings outputs, LoadContext ctx) {
    if (s.path() == null) {
      throw ctx.errorAt(
          ctx.line("cache", "path"),
          "cache.path",
          "missing",
          "name the cache file, in a volume only the sidecar mounts");
    }
    if (s.keyFile() == null) {
      throw ctx.errorAt(
          ctx.line("cache", "key-file"),
          "cache.key-file",
          "missing",
          "name a file of 32 random bytes: head -c 32 /dev/urandom > key");
    }
    Path cacheDir = real(s.path().getParent());
    Path keyDir = real(s.keyFile().getParent());
    Map<String, Path> shared = new LinkedHashMap<>();
    if (outputs.socket() != null) {
      shared.put("outputs.socket", real(outputs.socket().path().getParent()));
    }
    List<OutputSettings.FileSpec> files = outputs.files();
    for (int i = 0; i < files.size(); i++) {
      shared.put("outputs.files[" + i + "]", real(files.get(i).path().getParent()));
    }
    for (Map.Entry<String, Path> e : shared.entrySet()) {
      if (cacheDir.startsWith(e.getValue())) {
        throw ctx.error(
            "cache.path",
            s.path() + " is in " + e.getValue() + ", the directory of " + e.getKey(),
            "the application mounts it; put the cache in a volume only the sidecar mounts");
      }
      if (keyDir.startsWith(e.getValue())) {
        throw ctx.error(
            "cache.key-file",
            s.keyFile() + " is in " + e.getValue() + ", the directory of " + e.getKey(),
            "keep the key where the application cannot read it, e.g. a mounted Secret");
      }
    }
    if (keyDir.startsWith(cacheDir) || cacheDir.startsWith(keyDir)) {
      throw ctx.error(
          "cache.key-file",
          s.keyFile() + " shares a directory with cache.path " + s.path(),
          "keep the key elsewhere, e.g. a mounted Secret, so the cache file alone cannot be decrypted");
    }
  }

  private static Path real(Path dir) {
    Path p = dir == null ? Path.of("/") : dir;
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }
}
