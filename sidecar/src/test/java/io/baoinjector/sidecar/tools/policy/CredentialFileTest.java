package io.baoinjector.sidecar.tools.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
