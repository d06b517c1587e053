package io.baoinjector.sidecar.tools.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.tools.ToolFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credential files: 0400, never over an existing file without --force, never through a link. */
class CredentialFileTest {
  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  static List<Path> files(Path dir) throws Exception {
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Test
  void writesMode0400AndLeavesNoTempFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("role-id");
    CredentialFile.write(f, "r1", false);
    assertEquals("r1", Files.readString(f));
    assertEquals("r--------", mode(f));
    assertEquals(List.of(f), files(dir));
  }

  @Test
  void anExistingFileIsKeptUnlessForced(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("secret-id");
    Files.writeString(f, "old");
    ToolFailure e = assertThrows(ToolFailure.class, () -> CredentialFile.write(f, "new", false));
    assertEquals(2, e.exit);
    assertEquals(f + " already exists; remove it or pass --force", e.getMessage());
    assertEquals("old", Files.readString(f));
    CredentialFile.write(f, "new", true);
    assertEquals("new", Files.readString(f));
    assertEquals("r--------", mode(f));
    assertEquals(List.of(f), files(dir));
  }

  @Test
  void aSymlinkIsRefusedEvenWithForce(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("target");
    Files.writeString(target, "keep");
    Path link = Files.createSymbolicLink(dir.resolve("secret-id"), target);
    for (boolean force : new boolean[] {false, true}) {
      ToolFailure e = assertThrows(ToolFailure.class, () -> CredentialFile.write(link, "x", force));
      assertEquals(link + " is a symlink; refusing to write through it", e.getMessage());
    }
    assertEquals("keep", Files.readString(target));
  }

  @Test
  void aDirectoryOthersCanWriteOrAnotherUserOwnsIsRefused(@TempDir Path dir) throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setAttribute(shared, "unix:mode", 0777);
    ToolFailure e =
        assertThrows(
            ToolFailure.class, () -> CredentialFile.write(shared.resolve("secret-id"), "x", false));
    assertEquals(2, e.exit);
    assertEquals(
        shared
            + " is writable by others (0777, no sticky bit): another user there could replace the"
            + " credentials; use a directory only you can write (chmod 700) for --out",
        e.getMessage());
    Files.setAttribute(shared, "unix:mode", 0770);
    e =
        assertThrows(
            ToolFailure.class, () -> CredentialFile.checkWritable(shared.resolve("r"), false));
    assertTrue(
        e.getMessage().contains("is writable by its group (0770, no sticky bit)"), e.getMessage());
    Files.setAttribute(shared, "unix:mode", 01777);
    CredentialFile.write(shared.resolve("role-id"), "r1", false);
    assertEquals("r1", Files.readString(shared.resolve("role-id")));

    Path theirs = Files.createDirectory(dir.resolve("theirs"));
    Files.setAttribute(theirs, "unix:uid", 65534);
    Path link = Files.createSymbolicLink(dir.resolve("link"), theirs);
    for (Path d : List.of(theirs, link)) {
      e =
          assertThrows(
              ToolFailure.class, () -> CredentialFile.write(d.resolve("role-id"), "x", false));
      assertEquals(
          d + " belongs to uid 65534, not to you or root; use a directory of your own for --out",
          e.getMessage());
    }
    assertEquals(List.of(), files(theirs));
  }
}
