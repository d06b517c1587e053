package io.baoinjector.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A throw-away root filesystem that stands in for the images' Alpine userland: a static BusyBox
 * (Alpine's sh, mkdir, chown, chmod and wget are BusyBox too), Alpine's base users, and stand-ins
 * for the adduser/addgroup applets Debian's BusyBox lacks. Commands run in it with {@code chroot},
 * so the Dockerfiles' RUN steps execute as they would in {@code docker build} (as root, {@code
 * /bin/sh -c}) without touching this machine. Needs root; a test using it fails, never skips.
 */
final class AlpineRoot {
  private final Path dir;

  private AlpineRoot(Path dir) {
    this.dir = dir;
  }

  static AlpineRoot create(Path dir) {
    if (!Proc.isRoot()) {
      throw new IllegalStateException(
          "chroot needs root: run the docker/ tests as root (CI does), as they execute the"
              + " Dockerfiles' RUN steps in a BusyBox chroot");
    }
    String busybox = Proc.ensure("docker/ensure-busybox.sh");
    try {
      for (String d :
          List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc", "tmp", "run", "opt", "dev")) {
        Files.createDirectories(dir.resolve(d));
      }
      Files.copy(Path.of(busybox), dir.resolve("bin/busybox"), StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(
          dir.resolve("bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
      for (String stub : List.of("usr/sbin/adduser", "usr/sbin/addgroup", "usr/bin/java")) {
        Path target = dir.resolve(stub);
        try (InputStream in =
            AlpineRoot.class.getResourceAsStream("/busybox-stubs/" + target.getFileName())) {
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      // Alpine's base accounts (the ones that matter: root and nobody).
      Files.writeString(
          dir.resolve("etc/passwd"),
          "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n");
      Files.writeString(dir.resolve("etc/group"), "root:x:0:root\nnobody:x:65534:\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the chroot in " + dir, e);
    }
    AlpineRoot root = new AlpineRoot(dir);
    Proc.Result install = root.exec(List.of("/bin/busybox", "--install", "-s"), Map.of());
    if (install.exit() != 0) {
      throw new IllegalStateException("busybox --install failed:\n" + install.output());
    }
    // Every container has a /dev/null; wget -O /dev/null needs it.
    Proc.Result devNull = root.shell("mknod -m 666 /dev/null c 1 3", Map.of());
    if (devNull.exit() != 0) {
      throw new IllegalStateException(
          "cannot create /dev/null in the chroot:\n" + devNull.output());
    }
    return root;
  }

  Path dir() {
    return dir;
  }

  Path path(String absolute) {
    return dir.resolve(absolute.replaceFirst("^/+", ""));
  }

  /** Runs a shell command as Docker runs a shell-form RUN or HEALTHCHECK: {@code /bin/sh -c}. */
  Proc.Result shell(String command, Map<String, String> env) {
    return exec(List.of("/bin/sh", "-c", command), env);
  }

  Proc.Result exec(List<String> argv, Map<String, String> env) {
    List<String> cmd = new ArrayList<>(List.of(chroot(), dir.toString()));
    cmd.addAll(argv);
    Map<String, String> all = new java.util.HashMap<>(env);
    all.putIfAbsent("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    all.putIfAbsent("HOME", "/root");
    return Proc.run(cmd, all, null, true);
  }

  private static String chroot() {
    for (String candidate : List.of("/usr/sbin/chroot", "/sbin/chroot", "/usr/bin/chroot")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new IllegalStateException("no chroot binary in /usr/sbin, /sbin or /usr/bin (coreutils)");
  }

  String read(String absolute) {
    try {
      return Files.readString(path(absolute));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
