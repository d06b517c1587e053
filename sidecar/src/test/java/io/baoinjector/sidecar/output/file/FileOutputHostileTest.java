package io.baoinjector.sidecar.output.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.config.OutputSettings.Format;
import io.baoinjector.sidecar.metrics.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A file output in a directory another user can write: the swap race, the warning, denial. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class FileOutputHostileTest {
  static final Path SHM = Paths.get("/dev/shm");
  static final String CANARY = FileOutputTest.CANARY;

  Path dir;
  Path victim;
  List<FileOutput> outputs = new ArrayList<>();

  @BeforeEach
  void dirs() throws IOException {
    dir = Files.createTempDirectory(SHM, "bi-hostile");
    victim = Files.createTempFile(SHM, "bi-victim", "");
    Files.writeString(victim, "root's own\n");
    Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
  }

  @AfterEach
  void cleanup() throws IOException {
    outputs.forEach(FileOutput::stop);
    Files.deleteIfExists(victim);
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static OutputSettings.FileSpec spec(Path path, int mode, Integer uid, Integer gid) {
    return new OutputSettings.FileSpec(
        path, Format.DOTENV, null, null, null, mode, uid, gid, false, List.of(), null);
  }

  FileOutput started(OutputSettings.FileSpec spec) throws IOException {
    FileOutput o = new FileOutput(0, spec, new Metrics());
    o.start();
    outputs.add(o);
    return o;
  }

  /** What the other uid does: replace our temp file by a link to a file only root may touch. */
  Runnable swapTempFor(boolean symbolic) {
    return () -> {
      try (Stream<Path> s = Files.list(dir)) {
        Path tmp =
            s.filter(p -> p.getFileName().toString().startsWith(".app.env.tmp-"))
                .findFirst()
                .orElseThrow();
        Files.delete(tmp);
        if (symbolic) {
          Files.createSymbolicLink(tmp, victim);
        } else {
          Files.createLink(tmp, victim);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  void assertSwapRefusedAndVictimUntouched(boolean symbolic) throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path f = dir.resolve("app.env");
    FileOutput o = started(spec(f, 0644, 65534, 65534));
    o.destination().beforeModeChange = swapTempFor(symbolic);
    IOException e =
        assertThrows(
            IOException.class,
            () -> o.render(FileOutputTest.snapshot(Map.of("DB_PASSWORD", CANARY))));
    assertTrue(
        e.getMessage()
            .matches(
                "outputs\\.files\\[0]\\.path: the temp file "
                    + dir
                    + "/\\.app\\.env\\.tmp-[0-9a-f]{12} was replaced before its mode was set"
                    + " \\(another user can write in "
                    + dir
                    + "\\); nothing written, give the directory to the sidecar alone"),
        e.getMessage());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(victim, LinkOption.NOFOLLOW_LINKS)));
    assertEquals(0, Files.getAttribute(victim, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    assertEquals(0, Files.getAttribute(victim, "unix:gid", LinkOption.NOFOLLOW_LINKS));
    assertEquals("root's own\n", Files.readString(victim, StandardCharsets.UTF_8));
    assertFalse(Files.exists(f, LinkOption.NOFOLLOW_LINKS), "nothing renamed into place");
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(), s.toList(), "the planted link is removed, no temp file left");
    }
    // The next round, unhindered, writes normally.
    o.destination().beforeModeChange = null;
    assertTrue(o.render(FileOutputTest.snapshot(Map.of("DB_PASSWORD", CANARY))));
    assertEquals(
        "rw-r--r--",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS)));
  }

  @Test
  void aTempFileSwappedForASymlinkLeavesTheTargetsModeAndOwnerAlone() throws Exception {
    assertSwapRefusedAndVictimUntouched(true);
  }

  @Test
  void aTempFileSwappedForAHardLinkLeavesTheTargetsModeAndOwnerAlone() throws Exception {
    assertSwapRefusedAndVictimUntouched(false);
  }

  @Test
  void aDirectoryOthersCanWriteWithoutTheStickyBitGetsOneWarningLine() throws Exception {
    Files.setAttribute(dir, "unix:mode", 0777);
    String w = Destination.sharedDirectoryWarning("outputs.files[2]", dir);
    assertEquals(
        "outputs.files[2].path: directory "
            + dir
            + " is writable by others (0777, no sticky bit): another writer there can replace the"
            + " file after it is written; give the directory to the sidecar alone (fsGroup, mode"
            + " 0750) or set the sticky bit",
        w);
    assertFalse(w.contains("\n"));
    Files.setAttribute(dir, "unix:mode", 0770);
    assertTrue(Destination.sharedDirectoryWarning("k", dir).contains("writable by its group"));
    Files.setAttribute(dir, "unix:mode", 01777);
    assertNull(Destination.sharedDirectoryWarning("k", dir), "sticky: no warning");
    Files.setAttribute(dir, "unix:mode", 0755);
    assertNull(Destination.sharedDirectoryWarning("k", dir), "private: no warning");
  }

  /**
   * Root without CAP_DAC_OVERRIDE (dropped from the bounding set) is refused like any uid in a
   * directory it does not own; the start error says so, in one line naming the entry.
   */
  @Test
  void anUnwritableDirectorySaysPermissionDenied() throws Exception {
    Files.setAttribute(dir, "unix:uid", 65534);
    Files.setAttribute(dir, "unix:mode", 0755);
    Path f = dir.resolve("app.env");
    Process p =
        new ProcessBuilder(
                "setpriv",
                "--bounding-set=-dac_override,-dac_read_search",
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                StartOne.class.getName(),
                f.toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(
        "outputs.files[3].path: cannot write in "
            + dir
            + ": permission denied (the sidecar runs as uid 0; make the directory writable for"
            + " it)",
        out);
    assertEquals(2, p.exitValue());
  }

  /** Starts one file output at {@code args[0]} and prints its start error. */
  public static final class StartOne {
    public static void main(String[] args) {
      try {
        new FileOutput(3, spec(Path.of(args[0]), 0600, null, null), new Metrics()).start();
        System.exit(0);
      } catch (IOException e) {
        System.out.println(e.getMessage());
        System.exit(2);
      }
    }
  }
}
