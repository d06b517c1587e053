package io.baoinjector.sidecar.backend;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.infisical.InfisicalFactory;
import io.baoinjector.sidecar.config.BackendSettings;
import io.baoinjector.sidecar.config.ConfigException;
import io.baoinjector.sidecar.config.SidecarConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends one config uses, opened once at startup and closed at exit: the built-in {@code
 * file:} store when a reference or the fallback names it, and every {@code backends:} block by its
 * type. A cloud type's factory comes from its own jar ({@link BackendJars}), which is opened only
 * here, so an OpenBao-only config loads none of it.
 */
public final class Backends implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Backends.class);

  private final Map<String, Backend> open;

  private Backends(Map<String, Backend> open) {
    this.open = open;
  }

  /** No backend: an OpenBao-only config, and tests that need none. */
  public static Backends none() {
    return new Backends(Map.of());
  }

  /**
   * Opens what {@code config} uses.
   *
   * @throws BackendException when a type's jar is missing or refuses the block's settings
   */
  public static Backends open(SidecarConfig config) {
    return open(config, Backends::builtIn);
  }

  /**
   * {@code check}: the jar of every cloud type {@code config} names is there and trusted (its
   * factory is found; no block is opened, no SDK class loads).
   *
   * @throws ConfigException naming the block, as {@code run} would fail
   */
  public static void verifyInstalled(SidecarConfig config) {
    config
        .backends()
        .forEach(
            (name, s) -> {
              if (builtIn(s.type()) == null) {
                try {
                  BackendJars.factory(s.type());
                } catch (BackendException x) {
                  throw configError(config, named(name, x));
                }
              }
            });
  }

  /** A backend that cannot be opened, said as the config's error (exit 2, one line). */
  public static ConfigException configError(SidecarConfig config, BackendException e) {
    return new ConfigException(
        config.source() == null ? "sidecar.yaml" : config.source().toString(),
        0,
        null,
        e.getMessage(),
        null);
  }

  /** The factory of a type built into the sidecar (no SDK), or null for a type from a jar. */
  static BackendFactory builtIn(String type) {
    return type.equals("infisical") ? new InfisicalFactory() : null;
  }

  /**
   * Opens what {@code config} uses, asking {@code builtIn} first for each type (tests script a
   * store this way).
   *
   * @param builtIn the factory of a type built into the sidecar, or null for a type from a jar
   */
  public static Backends open(SidecarConfig config, Function<String, BackendFactory> builtIn) {
    Map<String, Backend> m = new LinkedHashMap<>();
    if (usesFile(config)) {
      m.put(Reference.FILE, new FileBackend());
    }
    try {
      for (Map.Entry<String, BackendSettings> e : config.backends().entrySet()) {
        BackendSettings s = e.getValue();
        try {
          BackendFactory f = builtIn.apply(s.type());
          if (f == null) {
            f = BackendJars.factory(s.type());
          }
          m.put(e.getKey(), f.open(e.getKey(), s));
        } catch (BackendException x) {
          throw named(e.getKey(), x);
        } catch (RuntimeException | LinkageError x) {
          // a factory's own failure: its message may quote a credential file, so only its kind
          throw new BackendException(
              BackendException.Kind.INVALID,
              "backends."
                  + e.getKey()
                  + ": the "
                  + s.type()
                  + " backend failed to open ("
                  + x.getClass().getSimpleName()
                  + "); check its jar's version and the block's settings");
        }
        log.info("backend {}: {}", e.getKey(), s.type());
      }
    } catch (RuntimeException e) {
      new Backends(m).close();
      throw e;
    }
    return new Backends(m);
  }

  /** {@code x} as block {@code name}'s failure; one that names the key itself is said as it is. */
  private static BackendException named(String name, BackendException x) {
    String at = "backends." + name;
    String said = String.valueOf(x.getMessage());
    return new BackendException(x.kind(), said.startsWith(at) ? said : at + ": " + said, x);
  }

  private static boolean usesFile(SidecarConfig c) {
    return c.fallback() != null
        || c.secrets().values().stream().anyMatch(r -> r.store() == Reference.Store.FILE)
        || c.properties().values().stream().anyMatch(r -> r.store() == Reference.Store.FILE)
        || c.envFrom().stream().anyMatch(e -> e.path().store() == Reference.Store.FILE);
  }

  /** The backend of block {@code name}, or null. */
  public Backend get(String name) {
    return open.get(name);
  }

  /** The names of the open backends, in config order ({@code file} first when used). */
  public Iterable<String> names() {
    return open.keySet();
  }

  @Override
  public void close() {
    open.forEach(
        (name, b) -> {
          try {
            b.close();
          } catch (RuntimeException e) {
            log.warn("backend {}: closing failed: {}", name, e.toString());
          }
        });
  }
}
