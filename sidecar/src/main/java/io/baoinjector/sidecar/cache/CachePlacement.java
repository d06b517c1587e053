package io.baoinjector.sidecar.cache;

import io.baoinjector.sidecar.config.CacheSettings;
import io.baoinjector.sidecar.config.OutputSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the cache and its key may live. The application mounts the socket's and the files'
 * directories, so a cache there is readable by it (and by whatever else shares the volume); the key
 * beside the cache would let one stolen directory decrypt it. Both are refused with one line.
 */
final class CachePlacement {
  private CachePlacement() {}

  static void check(CacheSettings s, OutputSettings outputs) throws IOException {
    Path cacheDir = real(s.path().toAbsolutePath().getParent());
    Path keyDir = real(s.keyFile().toAbsolutePath().getParent());
    Map<String, Path> shared = new LinkedHashMap<>();
    if (outputs.socket() != null) {
      shared.put("outputs.socket", real(outputs.socket().path().toAbsolutePath().getParent()));
    }
    List<OutputSettings.FileSpec> files = outputs.files();
    for (int i = 0; i < files.size(); i++) {
      if (files.get(i).path() != null) {
        shared.put(
            "outputs.files[" + i + "]", real(files.get(i).path().toAbsolutePath().getParent()));
      }
    }
    for (Map.Entry<String, Path> e : shared.entrySet()) {
      if (cacheDir.startsWith(e.getValue())) {
        throw new IOException(
            "cache.path: "
                + s.path()
                + " is in "
                + e.getValue()
                + ", the directory of "
                + e.getKey()
                + " that the application mounts; put the cache in a volume only the sidecar"
                + " mounts");
      }
      if (keyDir.startsWith(e.getValue())) {
        throw new IOException(
            "cache.key-file: "
                + s.keyFile()
                + " is in "
                + e.getValue()
                + ", the directory of "
                + e.getKey()
                + "; keep the key where the application cannot read it (a mounted Secret)");
      }
    }
    if (keyDir.startsWith(cacheDir) || cacheDir.startsWith(keyDir)) {
      throw new IOException(
          "cache.key-file: "
              + s.keyFile()
              + " shares a directory with cache.path "
              + s.path()
              + "; keep the key elsewhere (a mounted Secret), so the cache alone cannot be"
              + " decrypted");
    }
  }

  /** Where a directory really is (symlinks resolved) when it exists, else its normalized form. */
  private static Path real(Path dir) {
    Path p = dir == null ? Path.of("/") : dir;
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p.normalize();
    }
  }
}
