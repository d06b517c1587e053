package io.baoinjector.sidecar.tools.policy;

import io.baoinjector.sidecar.output.Modes;
import io.baoinjector.sidecar.tools.ToolFailure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A credential file written once, mode 0400, atomically: a temp file in the same directory created
 * 0600 (never readable by anyone else, even for a moment), written, fsynced, set to 0400, then put
 * in place. Without {@code force} it is hard-linked to the final name, which fails if anything
 * (file or symlink) is already there; with {@code force} it is renamed over an existing regular
 * file. A symlink at the final name is always refused: writing through it would land the credential
 * wherever it points.
 */
final class CredentialFile {
  private CredentialFile() {}

  /** Fails (exit 2) when {@code target} cannot be written; checked before anything is created. */
  static void checkWritable(Path target, boolean force) {
    Path dir = target.toAbsolutePath().getParent();
    if (dir != null && Files.isDirectory(dir)) {
      checkDirectory(dir);
    }
    if (Files.isSymbolicLink(target)) {
      throw new ToolFailure(2, target + " is a symlink; refusing to write through it");
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      if (!force) {
        throw new ToolFailure(2, target + " already exists; remove it or pass --force");
      }
      if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new ToolFailure(2, target + " exists and is not a regular file");
      }
    }
  }

  /**
   * As sshd's StrictModes: the directory (a symlink is followed, then judged by what it points to)
   * must belong to us or root and be writable by nobody else unless sticky; another writer there
   * could rename our file away and put its own credentials in its place.
   */
  private static void checkDirectory(Path dir) {
    int mode;
    int owner;
    int self;
    try {
      mode = (Integer) Files.getAttribute(dir, "unix:mode");
      owner = (Integer) Files.getAttribute(dir, "unix:uid");
      self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      return; // not a Unix file system: the write itself reports what fails
    }
    if (owner != self && owner != 0) {
      throw new ToolFailure(
          2,
          dir
              + " belongs to uid "
              + owner
              + ", not to you or root; use a directory of your own for --out");
    }
    if ((mode & 0022) != 0 && (mode & 01000) == 0) {
      throw new ToolFailure(
          2,
          ("%s is writable by %s (%s, no sticky bit): another user there could replace the"
                  + " credentials; use a directory only you can write (chmod 700) for --out")
              .formatted(
                  dir, (mode & 0002) != 0 ? "others" : "its group", Modes.octal(mode & 07777)));
    }
  }

  static void write(Path target, String content, boolean force) {
    checkWritable(target, force);
    byte[] random = new byte[8];
    new SecureRandom().nextBytes(random);
    Path tmp =
        target.resolveSibling(
            "." + target.getFileName() + "." + HexFormat.of().formatHex(random) + ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
        ByteBuffer b = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--------"));
      if (force) {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.createLink(target, tmp);
      }
    } catch (FileAlreadyExistsException e) {
      throw new ToolFailure(2, target + " already exists; remove it or pass --force");
    } catch (IOException e) {
      throw new ToolFailure(1, "cannot write " + target + ": " + e.getClass().getSimpleName());
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // left behind 0400 in the same directory; the next run's name differs
      }
    }
  }
}
