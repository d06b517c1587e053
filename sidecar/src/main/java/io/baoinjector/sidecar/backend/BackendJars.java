package io.baoinjector.sidecar.backend;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds a cloud backend's jar and opens it on its own class loader, so its SDK is loaded only by a
 * config that names its type and a bigger download costs an OpenBao-only sidecar nothing. The jar
 * lives in {@code $BAO_INJECTOR_BACKEND_DIR} (one directory, or several separated by {@code :}),
 * else in {@code backends/} beside the sidecar's jar.
 *
 * <p>Loading code is executing it: a jar (or its directory) that another user could have written is
 * refused, as is a jar owned by neither root nor this process's user.
 */
final class BackendJars {
  static final String DIR_ENV = "BAO_INJECTOR_BACKEND_DIR";

  /** The type to its jar's name stem. */
  private static final Map<String, String> JARS =
      Map.of(
          "aws-secrets-manager", "bao-injector-backend-aws",
          "gcp-secret-manager", "bao-injector-backend-gcp");

  private BackendJars() {}

  static BackendFactory factory(String type) {
    return factory(type, dirs());
  }

  /** {@link #factory(String)} from {@code dirs} rather than the environment's (tests). */
  static BackendFactory factory(String type, List<Path> dirs) {
    String stem = JARS.get(type);
    if (stem == null) {
      throw new BackendException(BackendException.Kind.INVALID, "no backend serves type " + type);
    }
    Path jar = find(dirs, stem, type);
    // the real file, each of its directories up to /: a link, or a directory another user may
    // rename, would let that user choose the code that runs here
    Path real;
    try {
      real = jar.toRealPath();
    } catch (IOException e) {
      throw new BackendException(
          BackendException.Kind.INVALID, jar + " cannot be opened; reinstall it");
    }
    if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      throw new BackendException(
          BackendException.Kind.INVALID, jar + " is not a jar file; reinstall it");
    }
    for (Path p = real; p != null; p = p.getParent()) {
      checkTrusted(p, type, p != real);
    }
    URLClassLoader loader;
    try {
      loader =
          new URLClassLoader(new URL[] {real.toUri().toURL()}, BackendJars.class.getClassLoader());
    } catch (MalformedURLException e) {
      throw new BackendException(BackendException.Kind.INVALID, "bad jar path " + jar, e);
    }
    try {
      for (BackendFactory f : ServiceLoader.load(BackendFactory.class, loader)) {
        if (type.equals(f.type())) {
          return f;
        }
      }
    } catch (ServiceConfigurationError | LinkageError e) {
      // a jar for another sidecar version, or a damaged one: its own words are a stack trace
      throw new BackendException(
          BackendException.Kind.INVALID,
          jar + " cannot be loaded (" + e.getClass().getSimpleName() + "); reinstall it");
    }
    throw new BackendException(
        BackendException.Kind.INVALID,
        jar + " holds no backend of type " + type + "; reinstall it");
  }

  private static List<Path> dirs() {
    String env = System.getenv(DIR_ENV);
    List<Path> dirs =
        env == null
            ? List.of()
            : Stream.of(env.split(":"))
                .filter(d -> !d.isBlank())
                .map(d -> Path.of(d).toAbsolutePath())
                .toList();
    if (!dirs.isEmpty()) {
      return dirs; // blank, or only separators: as if unset
    }
    try {
      Path self =
          Path.of(BackendJars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return List.of((Files.isDirectory(self) ? self : self.getParent()).resolve("backends"));
    } catch (URISyntaxException | RuntimeException e) {
      return List.of(Path.of("backends").toAbsolutePath());
    }
  }

  private static Path find(List<Path> dirs, String stem, String type) {
    List<Path> found = new ArrayList<>();
    for (Path dir : dirs) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, stem + "*.jar")) {
        for (Path p : s) {
          String n = p.getFileName().toString();
          // stem.jar or stem-VERSION.jar; not -sources, -javadoc, -tests
          if (n.equals(stem + ".jar")
              || (n.matches(java.util.regex.Pattern.quote(stem) + "-[0-9][^/]*\\.jar")
                  && !n.matches(".*-(sources|javadoc|tests)\\.jar"))) {
            found.add(p);
          }
        }
      } catch (IOException e) {
        // no such directory: said below
      }
    }
    String dir = dirs.stream().map(Path::toString).collect(Collectors.joining(":"));
    if (found.size() != 1) {
      throw new BackendException(
          BackendException.Kind.INVALID,
          (found.isEmpty() ? "no " : "more than one ")
              + stem
              + " jar in "
              + dir
              + " for type "
              + type
              + "; install it there (or set "
              + DIR_ENV
              + " to its directory)");
    }
    return found.get(0);
  }

  /**
   * Refuses {@code p} when a user other than root or this one could replace it: it is group- or
   * other-writable, or owned by someone else. {@code dir}: an ancestor, for which the sticky bit
   * (as on /tmp) keeps others from renaming what they do not own.
   */
  private static void checkTrusted(Path p, String type, boolean dir) {
    PosixFileAttributes a;
    int mode;
    try {
      a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      Object m = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      mode = m instanceof Integer i ? i : 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return; // no POSIX attributes: nothing to compare
    }
    boolean sticky = dir && (mode & 01000) != 0;
    boolean othersWrite =
        !sticky
            && (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || a.permissions().contains(PosixFilePermission.OTHERS_WRITE));
    String owner = a.owner().getName();
    String me = System.getProperty("user.name");
    if (othersWrite || !(owner.equals("root") || owner.equals(me))) {
      throw new BackendException(
          BackendException.Kind.INVALID,
          p
              + " (for type "
              + type
              + ") is writable by others or owned by "
              + owner
              + "; it would run as this sidecar: chmod go-w it and own it by root");
    }
  }
}
