package io.baoinjector.sidecar.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What one load knows beyond the values: the file's name for messages, the directory relative paths
 * resolve against, and where each key came from (its YAML line, or the environment variable that
 * supplied it), so the validator that runs after merging can still point at the right place.
 */
final class LoadContext {
  private final String fileName;
  private final Path baseDir;
  private final Map<String, Integer> lines = new HashMap<>();
  private final Map<String, String> envOrigins = new HashMap<>();

  LoadContext(String fileName, Path baseDir) {
    this.fileName = fileName;
    this.baseDir = baseDir;
  }

  String fileName() {
    return fileName;
  }

  /** Relative paths in the file mean "next to the file", as in Prometheus and compose files. */
  Path resolve(String raw) {
    return baseDir.resolve(raw).normalize();
  }

  void recordLine(String keyPath, int line) {
    lines.put(keyPath, line);
  }

  void recordEnv(String keyPath, String envName) {
    envOrigins.put(keyPath, envName);
  }

  /** The YAML line of {@code keyPath}, or 0 when the file does not set it. */
  int line(String keyPath) {
    return lines.getOrDefault(keyPath, 0);
  }

  /**
   * An error about {@code keyPath}: at its line when the file set it, or naming the environment
   * variable it came from.
   */
  ConfigException error(String keyPath, String problem, String fix) {
    String env = envOrigins.get(keyPath);
    String key = env == null ? keyPath : keyPath + " (from $" + env + ")";
    return new ConfigException(fileName, line(keyPath), key, problem, fix);
  }

  ConfigException errorAt(int line, String keyPath, String problem, String fix) {
    return new ConfigException(fileName, line, keyPath, problem, fix);
  }
}
