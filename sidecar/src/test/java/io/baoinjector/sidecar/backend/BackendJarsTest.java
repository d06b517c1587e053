package io.baoinjector.sidecar.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.config.BackendSettings;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a backend's jar runs its code as the sidecar: what a hostile local user or a careless
 * operator can put where the sidecar looks is refused on one line, never loaded, never a trace.
 */
class BackendJarsTest {
  static final String TYPE = "aws-secrets-manager";
  static final String JAR = "bao-injector-backend-aws-1.0.jar";

  /** What a jar's service file names; it comes from the test class path through the parent. */
  public static final class Factory implements BackendFactory {
    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public Backend open(String name, BackendSettings settings) {
      throw new UnsupportedOperationException();
    }
  }

  private static Path jar(Path at, String service) throws Exception {
    try (OutputStream o = Files.newOutputStream(at);
        JarOutputStream j = new JarOutputStream(o)) {
      j.putNextEntry(new ZipEntry("META-INF/services/" + BackendFactory.class.getName()));
      j.write((service + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return at;
  }

  private static Path dir(Path parent, String name, String mode) throws Exception {
    Path d = Files.createDirectory(parent.resolve(name));
    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(mode));
    return d;
  }

  private static String refused(Path... dirs) {
    return assertThrows(BackendException.class, () -> BackendJars.factory(TYPE, List.of(dirs)))
        .getMessage();
  }

  @Test
  void aTrustedJarLoads(@TempDir Path tmp) throws Exception {
    Path d = dir(tmp, "backends", "rwxr-xr-x");
    jar(d.resolve(JAR), Factory.class.getName());
    assertEquals(Factory.class, BackendJars.factory(TYPE, List.of(d)).getClass());
  }

  @Test
  void aLinkedJarIsJudgedByTheDirectoryItLivesIn(@TempDir Path tmp) throws Exception {
    // backends/ is root's, but the jar links into a directory anyone may write
    Path open = dir(tmp, "open", "rwxrwxrwx");
    Path target = jar(open.resolve("x.jar"), Factory.class.getName());
    Path d = dir(tmp, "backends", "rwxr-xr-x");
    Files.createSymbolicLink(d.resolve(JAR), target);
    String m = refused(d);
    assertTrue(m.startsWith(open + " (for type " + TYPE + ") is writable by others"), m);
  }

  @Test
  void aDirectoryUnderOneOthersMayWriteIsRefused(@TempDir Path tmp) throws Exception {
    // anyone may rename backends/ away and put their own in its place
    Path open = dir(tmp, "open", "rwxrwxrwx");
    Path d = dir(open, "backends", "rwxr-xr-x");
    jar(d.resolve(JAR), Factory.class.getName());
    String m = refused(d);
    assertTrue(m.startsWith(open + " (for type " + TYPE + ") is writable by others"), m);
    // the sticky bit (as on /tmp) keeps others from renaming what they do not own
    Files.setAttribute(open, "unix:mode", 01777);
    assertEquals(Factory.class, BackendJars.factory(TYPE, List.of(d)).getClass());
  }

  @Test
  void aWritableOrForeignJarOrDirectoryIsRefused(@TempDir Path tmp) throws Exception {
    Path d = dir(tmp, "backends", "rwxrwxr-x");
    Path j = jar(d.resolve(JAR), Factory.class.getName());
    assertTrue(refused(d).startsWith(d + " (for type"), "group-writable directory");
    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(j, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertTrue(refused(d).startsWith(j + " (for type"), "world-writable jar");
    Files.setPosixFilePermissions(j, PosixFilePermissions.fromString("rw-r--r--"));
    UserPrincipal nobody =
        tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(j, nobody);
    assertTrue(refused(d).contains("owned by nobody"), "a jar another user owns");
  }

  @Test
  void aBrokenJarIsOneLineNotATrace(@TempDir Path tmp) throws Exception {
    Path d = dir(tmp, "backends", "rwxr-xr-x");
    Path j = jar(d.resolve(JAR), "com.example.Missing");
    assertEquals(j + " cannot be loaded (ServiceConfigurationError); reinstall it", refused(d));
    Files.writeString(j, "not a zip");
    assertEquals(j + " holds no backend of type " + TYPE + "; reinstall it", refused(d));
    Files.delete(j);
    Files.createDirectory(j);
    assertEquals(j + " is not a jar file; reinstall it", refused(d));
  }

  @Test
  void twoJarsOrNoneSayWhere(@TempDir Path tmp) throws Exception {
    Path d = dir(tmp, "backends", "rwxr-xr-x");
    String none = refused(d);
    assertTrue(none.startsWith("no bao-injector-backend-aws jar in " + d + " for type"), none);
    jar(d.resolve(JAR), Factory.class.getName());
    jar(d.resolve("bao-injector-backend-aws-2.0.jar"), Factory.class.getName());
    String two = refused(d);
    assertTrue(two.startsWith("more than one bao-injector-backend-aws jar in " + d), two);
    assertFalse(two.contains("\n"), two);
  }
}
