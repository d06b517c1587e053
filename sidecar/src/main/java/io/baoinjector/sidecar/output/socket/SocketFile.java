package io.baoinjector.sidecar.output.socket;

import io.baoinjector.sidecar.output.Modes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

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
 * <p>The staging path is {@code <dir>/.bi<6 hex>/s}: at most 9 bytes longer than the directory, so
 * a configured path within the kernel's 107-byte limit whose file name is 8 bytes or longer always
 * fits; a shorter name close to the limit is refused at start with the reason.
 */
final class SocketFile {
  static final int MAX_PATH_BYTES = 107;
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private final Path path;
  private final int mode;
  private final Integer uid;
  private final Integer gid;
  private Path stagingDir;
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
    checkExisting();
    SecureRandom rnd = new SecureRandom();
    for (int attempt = 0; ; attempt++) {
      byte[] b = new byte[3];
      rnd.nextBytes(b);
      Path candidate = dir.resolve(".bi" + HexFormat.of().formatHex(b));
      try {
        stagingDir =
            Files.createDirectory(
                candidate,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        break;
      } catch (FileAlreadyExistsException e) {
        if (attempt > 20) {
          throw e;
        }
      }
    }
    // createDirectory applies the umask, which can only remove bits; make sure of 0700 anyway.
    Files.setPosixFilePermissions(stagingDir, PosixFilePermissions.fromString("rwx------"));
    Path staged = stagingDir.resolve("s");
    if (staged.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        > MAX_PATH_BYTES) {
      cleanup();
      throw new IOException(
          "outputs.socket.path: "
              + path
              + " leaves no room for the private staging path next to it (needs 9 bytes more than"
              + " its directory, at most 107); use a shorter directory or a longer file name");
    }
    return staged;
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

  /** Sets mode and owner on the bound socket and renames it into place. */
  void publish(Path staged) throws IOException {
    Files.setPosixFilePermissions(staged, Modes.permissions(mode));
    try {
      if (uid != null) {
        Files.setAttribute(staged, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
      }
      if (gid != null) {
        Files.setAttribute(staged, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
      }
    } catch (IOException | SecurityException e) {
      throw new IOException(
          "outputs.socket.uid/gid: cannot change the owner of the socket ("
              + e.getClass().getSimpleName()
              + "); run the sidecar with the right to chown (root or CAP_CHOWN) or drop uid/gid");
    }
    Files.move(staged, path, StandardCopyOption.ATOMIC_MOVE);
    fileKey = Files.readAttributes(path, "unix:ino", LinkOption.NOFOLLOW_LINKS).get("ino");
    cleanup();
  }

  /** Removes the staging directory (and anything left in it). */
  void cleanup() {
    if (stagingDir == null) {
      return;
    }
    try {
      Files.deleteIfExists(stagingDir.resolve("s"));
      Files.deleteIfExists(stagingDir);
    } catch (IOException e) {
      // best effort: a leftover empty 0700 directory is harmless
    }
    stagingDir = null;
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
