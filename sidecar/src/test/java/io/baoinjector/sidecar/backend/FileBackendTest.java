package io.baoinjector.sidecar.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

// a separate thread: a FIFO opened by mistake would block in open(2), which no interrupt ends
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FileBackendTest {
  private static final String CANARY = "canary-file-7Hq2";

  @TempDir Path dir;
  private final FileBackend backend = new FileBackend();

  private static Reference ref(Path p) {
    return Reference.parse("file:" + p, n -> null);
  }

  private static Map<String, String> reveal(BackendSecret s) {
    Map<String, String> out = new TreeMap<>();
    s.keys().forEach((k, v) -> out.put(k, v.reveal()));
    return out;
  }

  private BackendException refused(Path p, Kind kind) {
    BackendException e = assertThrows(BackendException.class, () -> backend.read(ref(p)));
    assertEquals(kind, e.kind(), e.getMessage());
    BackendException v = assertThrows(BackendException.class, () -> backend.currentVersion(ref(p)));
    assertEquals(kind, v.kind(), v.getMessage());
    assertFalse(e.getMessage().contains(CANARY), e.getMessage());
    return e;
  }

  @Test
  void aDotenvFileGivesItsNamesAndItsWholeText() throws IOException {
    Path p = dir.resolve("local.env");
    String text = "# local\nDB_USER=app\nexport DB_PASSWORD='" + CANARY + " x'\nEMPTY=\n";
    Files.writeString(p, text);
    BackendSecret s = backend.read(ref(p));
    assertEquals(Map.of("DB_USER", "app", "DB_PASSWORD", CANARY + " x", "EMPTY", ""), reveal(s));
    assertEquals(text, s.text().reveal());
    assertEquals(backend.currentVersion(ref(p)), s.version());
    assertFalse(s.toString().contains(CANARY), s.toString());
  }

  @Test
  void aJsonObjectGivesItsMembers() throws IOException {
    Path p = dir.resolve("secrets.json");
    String text = "\n  {\"password\": \"" + CANARY + "\", \"port\": 5432, \"tls\": {\"on\": true}}";
    Files.writeString(p, text);
    BackendSecret s = backend.read(ref(p));
    assertEquals(Map.of("password", CANARY, "port", "5432", "tls", "{\"on\":true}"), reveal(s));
    assertEquals(text, s.text().reveal());
  }

  @Test
  void anythingElseIsServedWholeOnly() throws IOException {
    Path p = dir.resolve("tls.key");
    String pem = "-----BEGIN PRIVATE KEY-----\nMIIE" + CANARY + "\n-----END PRIVATE KEY-----\n";
    Files.writeString(p, pem);
    BackendSecret s = backend.read(ref(p));
    assertEquals(Map.of(), s.keys());
    assertEquals(pem, s.text().reveal());

    // a JSON array is no object; a broken object is text too, and nothing of it is quoted
    Files.writeString(p, "[\"" + CANARY + "\"]");
    assertEquals(Map.of(), backend.read(ref(p)).keys());
    Files.writeString(p, "{\"k\": \"" + CANARY);
    BackendSecret broken = backend.read(ref(p));
    assertEquals(Map.of(), broken.keys());
    assertEquals("{\"k\": \"" + CANARY, broken.text().reveal());

    Files.writeString(p, "");
    BackendSecret empty = backend.read(ref(p));
    assertEquals(SecretValue.of(""), empty.text());
    assertEquals(Map.of(), empty.keys());
  }

  @Test
  void aByteOrderMarkIsNoPartOfTheFile() throws IOException {
    Path p = dir.resolve("windows.env");
    Files.writeString(p, "\uFEFFDB_USER=app\n");
    assertEquals(Map.of("DB_USER", "app"), reveal(backend.read(ref(p))));
    assertEquals("DB_USER=app\n", backend.read(ref(p)).text().reveal());
    Files.writeString(p, "\uFEFF{\"k\": \"v\"}");
    assertEquals(Map.of("k", "v"), reveal(backend.read(ref(p))));
  }

  @Test
  void aDotenvFileWithAMistakeServesNoKeysAndItsWholeText() throws IOException {
    Path p = dir.resolve("typo.env");
    String text = "# app\nDB_USER=app\nDB_PASSWORD=`" + CANARY + "`\n";
    Files.writeString(p, text);
    BackendSecret s = backend.read(ref(p));
    assertEquals(Map.of(), s.keys());
    assertEquals(text, s.text().reveal());
  }

  @Test
  void aMissingFileIsNotFound() {
    Path p = dir.resolve("missing.env");
    assertEquals("file:" + p + ": no such file", refused(p, Kind.NOT_FOUND).getMessage());
    BackendException keyed =
        assertThrows(
            BackendException.class,
            () -> backend.read(Reference.parse("file:" + p + "#K", n -> null)));
    assertEquals("file:" + p + ": no such file", keyed.getMessage());
    refused(dir.resolve("no-dir/missing.env"), Kind.NOT_FOUND);
  }

  @Test
  void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path fifo = dir.resolve("pipe.env");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo ran");
    assertEquals(
        "file:" + fifo + ": not a regular file (a directory, FIFO or device)",
        refused(fifo, Kind.INVALID).getMessage());
    Path link = dir.resolve("link.env");
    Files.createSymbolicLink(link, fifo);
    refused(link, Kind.INVALID);
  }

  @Test
  void aDirectoryOrADeviceIsRefused() throws IOException {
    refused(dir, Kind.INVALID);
    refused(Path.of("/dev/zero"), Kind.INVALID);
    Path link = dir.resolve("zero.env");
    Files.createSymbolicLink(link, Path.of("/dev/zero"));
    assertEquals(
        "file:" + link + ": not a regular file (a directory, FIFO or device)",
        refused(link, Kind.INVALID).getMessage());
  }

  @Test
  void notUtf8IsRefusedWithoutQuotingIt() throws IOException {
    Path p = dir.resolve("latin1.env");
    byte[] canary = ("K=" + CANARY).getBytes(StandardCharsets.US_ASCII);
    byte[] bytes = Arrays.copyOf(canary, canary.length + 2);
    bytes[canary.length] = (byte) 0xe9; // é in ISO-8859-1, a broken sequence in UTF-8
    bytes[canary.length + 1] = '\n';
    Files.write(p, bytes);
    BackendException e = assertThrows(BackendException.class, () -> backend.read(ref(p)));
    assertEquals(Kind.INVALID, e.kind());
    assertEquals("file:" + p + ": invalid UTF-8 at byte 18: not UTF-8 text", e.getMessage());
  }

  @Test
  void eightMibIsReadAndOneByteMoreIsRefused() throws IOException {
    Path p = dir.resolve("big.env");
    byte[] bytes = new byte[FileBackend.MAX_BYTES];
    Arrays.fill(bytes, (byte) 'a');
    Files.write(p, bytes);
    assertEquals(FileBackend.MAX_BYTES, backend.read(ref(p)).text().reveal().length());
    Files.write(p, new byte[] {'a'}, java.nio.file.StandardOpenOption.APPEND);
    BackendException e = assertThrows(BackendException.class, () -> backend.read(ref(p)));
    assertEquals(Kind.INVALID, e.kind());
    assertEquals("file:" + p + ": larger than 8 MiB", e.getMessage());
  }

  /**
   * A Kubernetes Secret volume: {@code NAME -> ..data/NAME}, {@code ..data -> ..TIMESTAMP/}, and an
   * update writes a new timestamped directory and renames a new {@code ..data} link over the old.
   */
  @Test
  void aKubernetesStyleDataLinkSwapIsANewVersion() throws IOException {
    Path first = Files.createDirectory(dir.resolve("..2026_12_01_a"));
    Files.writeString(first.resolve("app.env"), "K=one-" + CANARY);
    Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
    Path p = Files.createSymbolicLink(dir.resolve("app.env"), Path.of("..data/app.env"));
    Reference r = ref(p);
    String before = backend.currentVersion(r);
    assertEquals("one-" + CANARY, backend.read(r).keys().get("K").reveal());

    Path second = Files.createDirectory(dir.resolve("..2026_12_01_b"));
    Path next = Files.writeString(second.resolve("app.env"), "K=two-" + CANARY);
    // same size and same mtime: only the file's identity tells them apart
    Files.setLastModifiedTime(next, Files.getLastModifiedTime(first.resolve("app.env")));
    Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
    Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

    assertNotEquals(before, backend.currentVersion(r));
    BackendSecret s = backend.read(r);
    assertEquals("two-" + CANARY, s.keys().get("K").reveal());
    assertEquals(backend.currentVersion(r), s.version());
  }

  /**
   * A rewrite in place keeps the inode and here the size: only the modification time moves. The
   * kernel may stamp two writes close together with the same coarse time (Linux before 6.13 ticks a
   * few ms), so the times are set: the check sees one nanosecond, which this ext4 stores.
   */
  @Test
  void aSameSizeRewriteInPlaceIsANewVersionByItsNanoseconds() throws IOException {
    Path p = dir.resolve("app.env");
    Files.writeString(p, "K=1111");
    FileTime t = FileTime.from(1_700_000_000_123_456_789L, TimeUnit.NANOSECONDS);
    Files.setLastModifiedTime(p, t);
    Object inode = Files.readAttributes(p, "unix:ino").get("ino");
    String before = backend.currentVersion(ref(p));
    assertEquals(before, backend.currentVersion(ref(p)));

    Files.writeString(p, "K=2222");
    Files.setLastModifiedTime(p, FileTime.from(1_700_000_000_123_456_790L, TimeUnit.NANOSECONDS));
    assertEquals(inode, Files.readAttributes(p, "unix:ino").get("ino"));
    assertNotEquals(before, backend.currentVersion(ref(p)));
    assertEquals("2222", backend.read(ref(p)).keys().get("K").reveal());

    // the limit, said plainly: same inode, size and time (touch -r) is the same version
    Files.writeString(p, "K=3333");
    Files.setLastModifiedTime(p, t);
    assertEquals(before, backend.currentVersion(ref(p)));
  }

  @Test
  void aRewriteByRenameIsANewVersionWhateverItsTime() throws IOException {
    Path p = dir.resolve("app.env");
    Files.writeString(p, "K=1111");
    String before = backend.currentVersion(ref(p));
    Path tmp = Files.writeString(dir.resolve(".app.env.tmp"), "K=2222");
    Files.setLastModifiedTime(tmp, Files.getLastModifiedTime(p));
    Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    assertNotEquals(before, backend.currentVersion(ref(p)));
  }

  @Test
  void aPathThroughAFileSaysWhyWithoutAValue() throws IOException {
    Path file = Files.writeString(dir.resolve("plain"), "K=" + CANARY);
    Path p = file.resolve("app.env");
    // not UNAVAILABLE: that would mark every file: name stale, and flap with the good ones
    BackendException e = refused(p, Kind.INVALID);
    assertEquals("file:" + p + ": cannot stat: Not a directory", e.getMessage());
    assertNull(e.getCause());
  }
}
