package io.baoinjector.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What {@code -c} may point at: a regular file of at most 1 MiB, read without blocking. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigFileTest {
  static final Map<String, String> ENV = Map.of("BAO_TOKEN", Fixtures.CANARY_TOKEN);
  @TempDir Path dir;

  static String message(Path file) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.load(file, ENV)).getMessage();
  }

  @Test
  void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path fifo = dir.resolve("sidecar.yaml");
    Process p = new ProcessBuilder(List.of("mkfifo", fifo.toString())).inheritIO().start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed");
    assertEquals(
        fifo + ": is not a regular file (a FIFO, socket or device) (pass a YAML file with -c PATH)",
        message(fifo));
  }

  @Test
  void aDeviceIsRefusedInsteadOfReadForever() {
    assertEquals(
        "/dev/zero: is not a regular file (a FIFO, socket or device) (pass a YAML file with -c"
            + " PATH)",
        message(Path.of("/dev/zero")));
  }

  @Test
  void aDirectoryAndAMissingFileAreNamed() {
    assertEquals(
        dir + ": is a directory, not a config file (pass the file with -c PATH)", message(dir));
    Path missing = dir.resolve("nope.yaml");
    assertEquals(
        missing + ": config file not found (create it or pass another with -c PATH)",
        message(missing));
  }

  @Test
  void aFileOverOneMibIsRefusedBeforeParsing() throws Exception {
    // one 2 MiB scalar: parsed, this cost over a gigabyte of heap and minutes of CPU
    Path big = dir.resolve("big.yaml");
    Files.writeString(big, "secrets:\n  A: \"" + "x".repeat(2 << 20) + "\"\n");
    long t0 = System.nanoTime();
    assertEquals(
        big
            + ": is larger than 1 MiB, too large for a config file (pass sidecar.yaml with -c PATH;"
            + " keep large values in OpenBao or in files it names)",
        message(big));
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "refused before parsing");
  }

  @Test
  void exactlyOneMibIsStillRead() throws Exception {
    Path edge = dir.resolve("edge.yaml");
    String head = "openbao:\n  address: http://127.0.0.1:8200\nsecrets:\n  A: secret/a#b\n";
    Files.writeString(edge, head + "#".repeat(ConfigLoader.MAX_BYTES - head.length()));
    assertEquals(ConfigLoader.MAX_BYTES, Files.size(edge));
    assertEquals(1, ConfigLoader.load(edge, ENV).secrets().size());
  }
}
