package io.baoinjector.sidecar.output.socket;

import io.baoinjector.sidecar.output.Modes;
import io.baoinjector.sidecar.util.Closing;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Puts a listening socket at its configured path with no moment where it is looser than the
 * configured mode.
 *
 * <p>{@code bind(2)} creates the socket file with {@code 0777 & ~umask}, and Java cannot set the
 * umask. So we bind inside a fresh directory of mode 0700 created next to the destination (same
 * filesystem): nobody but us can reach a socket in there, whatever its mode, because connecting
 * needs search permission on every directory of the path. There we chmod (and chown) the socket,
 * then {@code rename(2)} it into place — atomic, and it replaces a stale socket in one step — and
 * remove the directory. A client can only ever find the socket at its final path with its final
 * mode.
 *
 * <p>The parent directory may be writable by others (an emptyDir is 0777, no sticky bit), who can
 * rename our staging directory away and put a symlink in its place at any moment. So after the
 * {@code mkdir} the staging directory is opened ({@code O_NOFOLLOW}), checked through that
 * descriptor (ours, 0700), and every later step — bind, chmod, chown, rename — goes through {@code
 * /proc/self/fd/N/s}, which reaches that very directory whatever its name now holds. That path is
 * short, so any configured path within the kernel's 107 bytes works.
 */
final class SocketFile {
  static final int MAX_PATH_BYTES = 107;
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private final Path path;
  private final int mode;
  private final Integer uid;
  private final Integer gid;
  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rwx------");
  private static final Path SELF = Path.of("/proc/self");
  private Path stagingDir;
  private FileChannel stagingHandle;
  private Path stagingRef;
  private Object fileKey;

  SocketFile(Path path, int mode, Integer uid, Integer gid) {
    this.path = path.toAbsolutePath().normalize();
    this.mode = mode;
    this.uid = uid;
    this.gid = gid;
  }

  Path path() {
    return path;
  }

  /**
   * Checks the destination and creates the private staging directory; returns the path Jetty should
   * bind. Refuses to replace anything but a stale socket.
   */
  Path prepare() throws IOException {
    Path dir = path.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IOException(
          "outputs.socket.path: directory " + dir + " does not exist; create it (a tmpfs mount)");
    }
    if (path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      throw new IOException(
          "outputs.socket.path: "
              + path
              + " is longer than the kernel's 107 bytes for a socket path; use a shorter path");
    }
    checkExisting();
    SecureRandom rnd = new SecureRandom();
    for (int attempt = 0; ; attempt++) {
      byte[] b = new byte[3];
      rnd.nextBytes(b);
      Path candidate = dir.resolve(".bi" + HexFormat.of().formatHex(b));
      try {
        stagingDir =
            Files.createDirectory(candidate, PosixFilePermissions.asFileAttribute(PRIVATE));
        break;
      } catch (FileAlreadyExistsException e) {
        if (attempt > 20) {
          throw e;
        }
      }
    }
    try {
      stagingHandle =
          FileChannel.open(stagingDir, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
      stagingRef = procFdOf(stagingDir);
      // Through the descriptor, so this is the directory we opened whatever now bears its name.
      // createDirectory applied the umask, which can only remove bits; make it exactly 0700.
      Files.setPosixFilePermissions(stagingRef, PRIVATE);
      PosixFileAttributes a = Files.readAttributes(stagingRef, PosixFileAttributes.class);
      if (!a.isDirectory()
          || !a.permissions().equals(PRIVATE)
          || !Files.getAttribute(stagingRef, "unix:uid")
              .equals(Files.getAttribute(SELF, "unix:uid"))) {
        throw new IOException("not the directory we created");
      }
    } catch (IOException e) {
      cleanup();
      throw new IOException(
          ("outputs.socket.path: cannot prepare a private directory in %s (%s); another user may"
                  + " be writing there, give the directory to the sidecar alone")
              .formatted(dir, e.getMessage()));
    }
    return stagingRef.resolve("s");
  }

  /**
   * {@code /proc/self/fd/N} for the directory just opened in {@link #stagingHandle}: the JDK hides
   * descriptor numbers, so it is found by device and inode. A path through it reaches that
   * directory even if another writer in the parent renamed it away and put a symlink in its place.
   */
  private Path procFdOf(Path opened) throws IOException {
    Map<String, Object> want =
        Files.readAttributes(opened, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          Map<String, Object> got = Files.readAttributes(fd, "unix:dev,ino");
          if (got.equals(want)) {
            return fd;
          }
        } catch (IOException e) {
          // closed meanwhile, or not ours to stat: not the one
        }
      }
    }
    throw new IOException("its descriptor is not in /proc/self/fd");
  }

  private void checkExisting() throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    int st;
    try {
      st = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    if ((st & S_IFMT) != S_IFSOCK) {
      throw new IOException(
          "outputs.socket.path: "
              + path
              + " exists and is not a socket; refusing to replace it (remove it or choose another"
              + " path)");
    }
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(path));
      throw new IOException(
          "outputs.socket.path: "
              + path
              + " is in use by a running process (another sidecar?); stop it or choose another"
              + " path");
    } catch (ConnectException e) {
      // Nobody listens: a stale socket from a crashed run. The rename in publish() replaces it.
    }
  }

  /**
   * Sets mode and owner on the bound socket and renames it into place. A socket cannot be opened,
   * so its mode cannot be set without following links ({@code fchmod} needs a descriptor, and the
   * JDK has no {@code fchmodat}); instead the path runs through the staging directory's descriptor,
   * and its last part is in a 0700 directory only we can write: nothing on the way can be swapped.
   * The owner is set with {@code lchown}.
   */
  void publish(Path staged) throws IOException {
    int st = (Integer) Files.getAttribute(staged, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    if ((st & S_IFMT) != S_IFSOCK) {
      throw new IOException("outputs.socket.path: the bound socket " + staged + " is not a socket");
    }
    Files.setPosixFilePermissions(staged, Modes.permissions(mode));
    try {
      Modes.chown(staged, uid, gid);
    } catch (IOException | SecurityException e) {
      throw new IOException(
          "outputs.socket.uid/gid: cannot change the owner of the socket ("
              + e.getClass().getSimpleName()
              + "); run the sidecar with the right to chown (root or CAP_CHOWN) or drop uid/gid");
    }
    Files.move(staged, path, StandardCopyOption.ATOMIC_MOVE);
    fileKey = Files.readAttributes(path, "unix:ino", LinkOption.NOFOLLOW_LINKS).get("ino");
    removeStagingDir();
  }

  /**
   * Removes the staging directory, by name only if the name still is our directory. The descriptor
   * stays open until {@link #cleanup()}: Jetty deletes its bind path when it stops, and that path
   * must not come to mean another directory.
   */
  private void removeStagingDir() {
    if (stagingDir == null) {
      return;
    }
    try {
      if (stagingRef != null) {
        Files.deleteIfExists(stagingRef.resolve("s"));
        Object ours = Files.getAttribute(stagingRef, "unix:ino");
        if (ours.equals(Files.getAttribute(stagingDir, "unix:ino", LinkOption.NOFOLLOW_LINKS))) {
          Files.deleteIfExists(stagingDir);
        }
      }
    } catch (IOException e) {
      // best effort: a leftover empty 0700 directory is harmless
    }
    stagingDir = null;
  }

  /** Removes the staging directory (and anything left in it) and closes its descriptor. */
  void cleanup() {
    removeStagingDir();
    if (stagingHandle != null) {
      Closing.quietly(stagingHandle);
      stagingHandle = null;
      stagingRef = null;
    }
  }

  /** Removes the socket at the final path if it is still the one we put there. */
  void remove() {
    try {
      if (fileKey != null
          && fileKey.equals(
              Files.readAttributes(path, "unix:ino", LinkOption.NOFOLLOW_LINKS).get("ino"))) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // already gone or replaced: not ours to remove
    }
    cleanup();
  }
}
