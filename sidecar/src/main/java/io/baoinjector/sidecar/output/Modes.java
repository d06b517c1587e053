package io.baoinjector.sidecar.output;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Octal permission bits (as config writes them, {@code 0660}) to NIO's permission sets and back.
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
}
