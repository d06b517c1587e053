package io.baoinjector.sidecar.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.shared.Reference;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code file:} store against what a careless operator or another local user can put at a path:
 * the sidecar's own /proc files, FIFOs, devices, huge or binary files, a link swapped in.
 */
@Timeout(60)
class FileBackendTest {
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
  void aFifoOrDeviceIsRefusedWithoutBlocking(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("fifo");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0);
    assertEquals(
        "file:" + fifo + ": not a regular file (a directory, FIFO or device)",
        refused(fifo).getMessage());
    assertEquals(BackendException.Kind.INVALID, refused("/dev/zero").kind());
    assertEquals(BackendException.Kind.INVALID, refused(dir).kind());
  }

  @Test
  void hugeOrBinaryFilesAreRefusedWithoutTheirContent(@TempDir Path dir) throws Exception {
    Path big = dir.resolve("big");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(FileBackend.MAX_BYTES + 1L); // sparse: costs no disk
    }
    assertEquals("file:" + big + ": larger than 8 MiB", refused(big).getMessage());
    Path bin = Files.write(dir.resolve("bin"), new byte[] {'K', '=', (byte) 0xff, 'x'});
    assertEquals(
        "file:" + bin + ": invalid UTF-8 at byte 2: not UTF-8 text", refused(bin).getMessage());
    Path gone = dir.resolve("gone.env");
    BackendException e = refused(gone);
    assertEquals(BackendException.Kind.NOT_FOUND, e.kind());
    assertEquals("file:" + gone + ": no such file", e.getMessage());
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
  void aWindowsOrBomFileIsServedWholeOnly(@TempDir Path dir) throws Exception {
    Path crlf = Files.writeString(dir.resolve("crlf.env"), "K=" + CANARY + "\r\n");
    BackendSecret s = files.read(ref(crlf));
    assertTrue(s.keys().isEmpty(), "CRLF is not the dotenv subset");
    assertEquals("K=" + CANARY + "\r\n", s.text().reveal());
    Path bom =
        Files.write(
            dir.resolve("bom.json"),
            ("\uFEFF{\"K\":\"" + CANARY + "\"}").getBytes(StandardCharsets.UTF_8));
    assertTrue(files.read(ref(bom)).keys().isEmpty(), "a BOM before { is no JSON object here");
  }

  @Test
  void aBase64TokenFileReadsAsOneAssignmentWhoseNameIsTheToken(@TempDir Path dir) throws Exception {
    // why a file's key names are not listed in warnings (UnresolvedWarningsTest)
    Path token = Files.writeString(dir.resolve("token"), "q8Zk3mD0XcVv9Y2aQ1pLrw==\n");
    assertEquals(
        java.util.Set.of("q8Zk3mD0XcVv9Y2aQ1pLrw"), files.read(ref(token)).keys().keySet());
  }
}
