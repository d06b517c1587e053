package io.baoinjector.sidecar.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.shared.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code file:} store against what a careless operator or another local user can put at a path:
 * the sidecar's own /proc files, FIFOs, devices, huge or binary files, a link swapped in.
 */
@Timeout(60)
class FileBackendAttackTest {
  static final String CANARY = "canary-file-Zr55";

  private final FileBackend files = new FileBackend();

  private static Reference ref(Object path) {
    return Reference.parse("file:" + path, n -> null);
  }

  private BackendException refused(Object path) {
    return assertThrows(BackendException.class, () -> files.read(ref(path)));
  }

  @Test
  void theSidecarsOwnProcFilesAreRefusedNamedOrLinked(@TempDir Path dir) throws Exception {
    // /proc/self/environ holds this process's BAO_TOKEN when the token came in the environment
    BackendException e = refused("/proc/self/environ");
    assertEquals(BackendException.Kind.INVALID, e.kind());
    assertEquals(
        "file:/proc/self/environ: is (or links to) /proc; name a file of secrets", e.getMessage());
    // a user who can write the referenced file's directory swaps in a link
    Path link = Files.createSymbolicLink(dir.resolve("app.env"), Path.of("/proc/self/environ"));
    assertEquals(BackendException.Kind.INVALID, refused(link).kind());
    assertEquals(
        BackendException.Kind.INVALID,
        assertThrows(BackendException.class, () -> files.currentVersion(ref(link))).kind());
    assertEquals(
        BackendException.Kind.INVALID,
        refused("/sys/kernel/mm/transparent_hugepage/enabled").kind());
  }

  @Test
  void aLargeDotenvIsReadWhole(@TempDir Path dir) throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      b.append("K").append(i).append('=').append(CANARY).append(i).append('\n');
    }
    Path env = Files.writeString(dir.resolve("many.env"), b);
    long t0 = System.nanoTime();
    BackendSecret s = files.read(ref(env));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(100_000, s.keys().size());
    assertEquals(CANARY + "99999", s.keys().get("K99999").reveal());
    assertTrue(ms < 10_000, "100k keys took " + ms + " ms");
    assertFalse(s.toString().contains(CANARY), s.toString());
  }

  @Test
  void aBase64TokenFileReadsAsOneAssignmentWhoseNameIsTheToken(@TempDir Path dir) throws Exception {
    // why a file's key names are not listed in warnings (UnresolvedWarningsTest)
    Path token = Files.writeString(dir.resolve("token"), "q8Zk3mD0XcVv9Y2aQ1pLrw==\n");
    assertEquals(
        java.util.Set.of("q8Zk3mD0XcVv9Y2aQ1pLrw"), files.read(ref(token)).keys().keySet());
  }
}
