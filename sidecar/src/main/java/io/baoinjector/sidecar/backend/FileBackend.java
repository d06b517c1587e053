package io.baoinjector.sidecar.backend;

import io.baoinjector.shared.Reference;
import io.baoinjector.shared.ShellDotenv;
import io.baoinjector.shared.wire.Utf8;
import io.baoinjector.shared.wire.WireFormatException;
import io.baoinjector.sidecar.SecretValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in {@code file:} store: a dotenv file (the bash subset {@code import} reads), a JSON
 * object, or any file read whole. Its version is the file's identity, size and modification time,
 * so the change check is one {@code stat}; symlinks are followed, as a Kubernetes Secret volume
 * swaps its {@code ..data} link on every update. A failure is never {@code UNAVAILABLE}: one
 * unreadable path is that file's problem, not an outage of every {@code file:} name.
 */
final class FileBackend implements Backend {
  private static final Logger log = LoggerFactory.getLogger(FileBackend.class);

  /**
   * A secrets file is small; the cap keeps a mistaken path (a log, /dev/zero) from costing memory.
   */
  static final int MAX_BYTES = 8 << 20;

  private static final Pattern ASSIGNMENT =
      Pattern.compile("(?:export[ \\t]+)?[A-Za-z_][A-Za-z0-9_]*=");

  @Override
  public BackendSecret read(Reference ref) {
    Path real = realPath(ref);
    String version = version(ref, real);
    byte[] bytes;
    // the checked real path, not a link: a link swapped in since the check is not followed
    try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw failed(ref, "read", e);
    }
    if (bytes.length > MAX_BYTES) {
      throw new BackendException(BackendException.Kind.INVALID, ref + ": larger than 8 MiB");
    }
    String text;
    try {
      text = Utf8.decode(bytes, ref.secret().toString());
    } catch (WireFormatException e) {
      throw new BackendException(
          BackendException.Kind.INVALID, e.getMessage() + ": not UTF-8 text");
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1); // a Windows editor's byte order mark is no part of a value
    }
    if (text.trim().startsWith("{")) {
      return BackendSecret.ofText(text, version);
    }
    Map<String, String> keys;
    try {
      keys = ShellDotenv.parse(text, ref.path());
    } catch (IllegalArgumentException e) {
      // not dotenv (a PEM, a token): whole only. ShellDotenv's messages never quote a value.
      // A file that starts as dotenv is one with a mistake: say where, or its keys just vanish.
      if (startsAsDotenv(text)) {
        log.warn("{}: no keys served: {}", ref, e.getMessage());
      } else {
        log.debug("{}: not a dotenv file ({}); only the whole file is served", ref, e.getMessage());
      }
      keys = Map.of();
    }
    return new BackendSecret(
        SecretValue.of(text), BackendSecret.ofKeys(keys, version).keys(), version);
  }

  @Override
  public String currentVersion(Reference ref) {
    return version(ref, realPath(ref));
  }

  /** The version of {@code real}, {@code ref}'s resolved path, once it is known to be readable. */
  private static String version(Reference ref, Path real) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw failed(ref, "stat", e);
    }
    if (!a.isRegularFile()) {
      // a FIFO blocks the refresh thread until a writer comes; a directory has no content
      throw new BackendException(
          BackendException.Kind.INVALID,
          ref + ": not a regular file (a directory, FIFO or device)");
    }
    if (real.startsWith("/proc") || real.startsWith("/sys")) {
      // /proc/self/environ is this sidecar's own environment, BAO_TOKEN included
      throw new BackendException(
          BackendException.Kind.INVALID,
          ref.secret() + ": is (or links to) /" + real.getName(0) + "; name a file of secrets");
    }
    return a.fileKey()
        + ":"
        + a.size()
        + ":"
        + a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Blank and comment lines, then {@code NAME=} or {@code export NAME=} (no regex over lines). */
  private static boolean startsAsDotenv(String text) {
    for (int i = 0; i < text.length(); ) {
      int end = text.indexOf('\n', i);
      String line = text.substring(i, end < 0 ? text.length() : end).strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        return ASSIGNMENT.matcher(line).lookingAt();
      }
      i = end < 0 ? text.length() : end + 1;
    }
    return false;
  }

  /** The OS's reason (ENOTDIR, ELOOP) names the fault; it never holds the file's content. */
  private static String why(IOException e) {
    return e instanceof FileSystemException f && f.getReason() != null
        ? f.getReason()
        : e.getClass().getSimpleName();
  }

  private static Path realPath(Reference ref) {
    try {
      return Path.of(ref.path()).toRealPath();
    } catch (IOException e) {
      throw failed(ref, "stat", e); // resolving is stat-ing each part
    }
  }

  /** A path's own failure, never the store's outage. */
  private static BackendException failed(Reference ref, String doing, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new BackendException(BackendException.Kind.NOT_FOUND, ref.secret() + ": no such file");
    }
    if (e instanceof AccessDeniedException) {
      return new BackendException(BackendException.Kind.DENIED, ref + ": permission denied");
    }
    return new BackendException(
        BackendException.Kind.INVALID, ref + ": cannot " + doing + ": " + why(e));
  }
}
