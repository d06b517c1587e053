package io.baoinjector.sidecar.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Octal permission bits (as config writes them, {@code 0660}) to NIO's permission sets and back,
 * and the owner of what an output writes.
 */
public final class Modes {
  private static final PosixFilePermission[] BY_BIT = {
    PosixFilePermission.OTHERS_EXECUTE,
    PosixFilePermission.OTHERS_WRITE,
    PosixFilePermission.OTHERS_READ,
    PosixFilePermission.GROUP_EXECUTE,
    PosixFilePermission.GROUP_WRITE,
    PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE,
    PosixFilePermission.OWNER_WRITE,
    PosixFilePermission.OWNER_READ
  };

  private Modes() {}

  public static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < BY_BIT.length; i++) {
      if ((mode & (1 << i)) != 0) {
        s.add(BY_BIT[i]);
      }
    }
    return s;
  }

  public static int mode(Set<PosixFilePermission> perms) {
    int m = 0;
    for (int i = 0; i < BY_BIT.length; i++) {
      if (perms.contains(BY_BIT[i])) {
        m |= 1 << i;
      }
    }
    return m;
  }

  public static String octal(int mode) {
    return String.format("%04o", mode);
  }

  /** Sets the owner ({@code uid}, {@code gid} when not null) by lchown: never through a symlink. */
  public static void chown(Path p, Integer uid, Integer gid) throws IOException {
    if (uid != null) {
      Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    }
    if (gid != null) {
      Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }
  }

  /** This process's uid for a message, or {@code unknown} when /proc cannot say. */
  public static String ownUid(String unknown) {
    try {
      return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | RuntimeException e) {
      return unknown;
    }
  }
}
