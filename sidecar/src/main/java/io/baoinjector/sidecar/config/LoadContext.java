package io.baoinjector.sidecar.config;

import io.baoinjector.shared.Reference;
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
  private final Map<String, String> kinds = new HashMap<>();
  private final Map<String, Integer> starts = new HashMap<>();
  private final Map<String, String> envOrigins = new HashMap<>();
  private final Map<String, String> backendTypes = new HashMap<>();

  LoadContext(String fileName, Path baseDir) {
    this.fileName = fileName;
    this.baseDir = baseDir;
  }

  String fileName() {
    return fileName;
  }

  /** Relative paths in the file mean "next to the file", as in Prometheus and compose files. */
  Path resolve(String raw) {
    if (raw.isBlank()) {
      throw new Binder.Bad("empty path", "give a path or remove the key");
    }
    if (raw.indexOf('\0') >= 0) {
      // Path.of would throw InvalidPathException, which is no config error
      throw new Binder.Bad("the path contains a NUL character", "remove it");
    }
    return baseDir.resolve(raw).normalize();
  }

  /** What the scan saw at {@code keyPath} (a key or a list item): its line and its value's kind. */
  void record(String keyPath, int line, String kind) {
    lines.put(keyPath, line);
    kinds.put(keyPath, kind);
  }

  /** Where the mapping at {@code keyPath} starts (its first key, for a block mapping). */
  void recordStart(String keyPath, int line) {
    starts.put(keyPath, line);
  }

  /**
   * The line of {@code key} in {@code section}, or where the section starts when the key is left
   * out: the place to point at for a key that is missing.
   */
  int line(String section, String key) {
    String keyPath = section.isEmpty() ? key : section + "." + key;
    return has(keyPath) ? line(keyPath) : starts.getOrDefault(section, line(section));
  }

  /** Whether the file writes {@code keyPath}, with a value or without. */
  boolean has(String keyPath) {
    return lines.containsKey(keyPath);
  }

  /** The kind of value the file writes at {@code keyPath}, e.g. "a list", or null. */
  String kind(String keyPath) {
    return kinds.get(keyPath);
  }

  void recordBackendType(String block, String type) {
    backendTypes.put(block, type);
  }

  /**
   * The grammar of references to backend block {@code name}, or null when the file has no such
   * block. A block whose type is missing or unknown is that block's error, said here when a
   * reference needs it before the block is bound.
   */
  Reference.Store backendStore(String name) {
    String block = "backends." + name;
    if (!has(block)) {
      if (backendTypes.isEmpty() || name.equals("bao") || name.equals(Reference.FILE)) {
        return null; // Reference says what to do
      }
      String near = DidYouMean.closest(name, backendTypes.keySet());
      throw new Binder.Bad(
          "no backend is named \"" + name + "\"",
          near != null
              ? "did you mean " + near + ":?"
              : "the backends here: "
                  + String.join(", ", new java.util.TreeSet<>(backendTypes.keySet())));
    }
    String type = backendTypes.get(name);
    Reference.Store s = type == null ? null : BackendSettings.store(type);
    if (s == null) {
      throw type == null
          ? error(block, "missing type", "add type: " + BackendSettings.TYPES)
          : error(block + ".type", "unknown type \"" + type + "\"", "use " + BackendSettings.TYPES);
    }
    return s;
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
