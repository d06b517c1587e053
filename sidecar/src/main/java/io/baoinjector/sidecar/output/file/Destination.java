package io.baoinjector.sidecar.output.file;

import io.baoinjector.sidecar.output.Modes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Where one file output writes, checked once at start, and the atomic write itself (as OpenBao's
 * file sink): a temp file in the same directory, created with the final mode (so it is never
 * readable by more than the final file will be), written and fsynced, chowned, then renamed over
 * the destination with {@code ATOMIC_MOVE}. A reader sees the old file or the new one, never a
 * partial or empty one. Also the cache's writer ({@code cache.path}).
 */
public final class Destination {
  private static final Set<String> MEMORY_FILESYSTEMS = Set.of("tmpfs", "ramfs");

  private final String key;
  private final Path path;
  private final int mode;
  private final Integer uid;
  private final Integer gid;
  private final SecureRandom random = new SecureRandom();

  /** Test hook: runs between the write and the mode change, to make the swap race deterministic. */
  volatile Runnable beforeModeChange;

  private Destination(String key, Path path, int mode, Integer uid, Integer gid) {
    this.key = key;
    this.path = path;
    this.mode = mode;
    this.uid = uid;
    this.gid = gid;
  }

  /**
   * Checks a configured path: no {@code ..} segment, an existing directory (symlinks resolved
   * first, so the tmpfs check looks at where the bytes really go), on tmpfs unless {@code
   * allowDisk}. {@code key} names the config entry in errors, e.g. {@code outputs.files[0]}.
   */
  public static Destination check(
      String key, Path configured, int mode, Integer uid, Integer gid, boolean allowDisk)
      throws IOException {
    for (Path segment : configured) {
      if (segment.toString().equals("..")) {
        throw new IOException(
            key + ".path: " + configured + " has a '..' segment; write the path without it");
      }
    }
    Path abs = configured.toAbsolutePath();
    Path parent = abs.getParent();
    if (parent == null || abs.getFileName() == null) {
      throw new IOException(key + ".path: " + configured + " is not a file path");
    }
    Path realParent;
    try {
      realParent = parent.toRealPath();
    } catch (IOException e) {
      throw new IOException(
          key + ".path: directory " + parent + " does not exist; create it (a tmpfs mount)");
    }
    if (!Files.isDirectory(realParent)) {
      throw new IOException(key + ".path: " + parent + " is not a directory");
    }
    Path real = realParent.resolve(abs.getFileName());
    if (Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(key + ".path: " + real + " is a directory; name a file");
    }
    FileStore store = Files.getFileStore(realParent);
    if (!allowDisk && !MEMORY_FILESYSTEMS.contains(store.type())) {
      throw new IOException(
          ("%s.path: %s is on %s, not tmpfs, so secrets would reach the disk; mount a tmpfs"
                  + " there or set %s.allow-disk: true")
              .formatted(key, realParent, store.type(), key));
    }
    return new Destination(key, real, mode, uid, gid);
  }

  public Path path() {
    return path;
  }

  /**
   * One warning line when {@code dir} is writable by group or others without the sticky bit
   * (Kubernetes' emptyDir is 0777): any writer there can rename our file away or put its own in its
   * place after our rename, which no care in writing can prevent. Not refused, since that is the
   * shipped setup; null when the directory is private or sticky.
   */
  static String sharedDirectoryWarning(String key, Path dir) throws IOException {
    int mode = (Integer) Files.getAttribute(dir, "unix:mode");
    if ((mode & 0022) == 0 || (mode & 01000) != 0) {
      return null;
    }
    return ("%s.path: directory %s is writable by %s (%s, no sticky bit): another writer there can"
            + " replace the file after it is written; give the directory to the sidecar alone"
            + " (fsGroup, mode 0750) or set the sticky bit")
        .formatted(
            key, dir, (mode & 0002) != 0 ? "others" : "its group", Modes.octal(mode & 07777));
  }

  /**
   * A test write: creates, chowns and removes a temp file beside the destination, so a read-only
   * directory or a chown we may not do fails at start, not at the first rotation.
   */
  public void probe() throws IOException {
    Path tmp = write(new byte[0]);
    Files.deleteIfExists(tmp);
  }

  /** Atomically replaces the destination with {@code bytes}. */
  public void replace(byte[] bytes) throws IOException {
    Path tmp = write(bytes);
    try {
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw new IOException(key + ".path: cannot rename into " + path + ": " + reason(e));
    }
    fsyncDirectory();
  }

  private Path write(byte[] bytes) throws IOException {
    Path tmp =
        path.resolveSibling(
            "." + path.getFileName() + ".tmp-" + HexFormat.of().formatHex(nextBytes()));
    // CREATE_NEW (O_EXCL) never opens an existing file or follows a planted symlink, and the
    // file is born with at most the final mode, so it is never readable by more than the
    // destination will be.
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            Set.of(
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
            PosixFilePermissions.asFileAttribute(Modes.permissions(mode)))) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw new IOException(key + ".path: cannot write in " + path.getParent() + ": " + reason(e));
    }
    Runnable hook = beforeModeChange;
    if (hook != null) {
      hook.run();
    }
    try {
      setModeAndOwner(tmp);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    return tmp;
  }

  /**
   * The umask may have removed bits from the created mode (never added any), so the mode is set
   * exactly, and the owner changed. The JDK has no fchmod/fchown on an open channel, so both go by
   * path, and another writer in the directory may have replaced the temp file by then: both calls
   * refuse to follow a symlink (chmod by an O_NOFOLLOW open and fchmod, chown by lchown), so a
   * planted link makes the write fail instead of changing the mode or owner of whatever it points
   * at. A hard link to someone else's file is refused too (a link count above one).
   */
  private void setModeAndOwner(Path tmp) throws IOException {
    try {
      if ((Integer) Files.getAttribute(tmp, "unix:nlink", LinkOption.NOFOLLOW_LINKS) != 1
          || !Files.isRegularFile(tmp, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("not the file we created");
      }
      Files.getFileAttributeView(tmp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setPermissions(Modes.permissions(mode));
    } catch (IOException e) {
      throw new IOException(
          ("%s.path: the temp file %s was replaced before its mode was set (another user can"
                  + " write in %s); nothing written, give the directory to the sidecar alone")
              .formatted(key, tmp, path.getParent()));
    }
    chown(tmp);
  }

  private void chown(Path tmp) throws IOException {
    try {
      Modes.chown(tmp, uid, gid);
    } catch (IOException | SecurityException e) {
      throw new IOException(
          ("%s.uid/gid: cannot change the owner of files in %s (%s); run the sidecar as root or"
                  + " with CAP_CHOWN, or drop uid/gid")
              .formatted(key, path.getParent(), e.getClass().getSimpleName()));
    }
  }

  /**
   * The cause as a reader wants it: the JDK's AccessDeniedException message is only the path, which
   * hides the one word that matters.
   */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied (the sidecar runs as uid "
          + Modes.ownUid("?")
          + "; make the directory writable for it)";
    }
    if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
      return ((FileSystemException) e).getReason();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private byte[] nextBytes() {
    byte[] b = new byte[6];
    random.nextBytes(b);
    return b;
  }

  private void fsyncDirectory() {
    try (FileChannel dir = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Not every filesystem lets a directory be fsynced; tmpfs never needs it.
    }
  }
}
