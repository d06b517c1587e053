package io.baoinjector.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.config.Fixtures;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The packaged jar through the real launcher: real process, real exit codes, real stderr. */
@Timeout(300)
class LauncherIT {
  private static final Map<String, String> ENV = Map.of("BAO_TOKEN", Fixtures.CANARY_TOKEN);

  @Test
  void versionComesFromThePackagedJar() throws Exception {
    Launcher r = Launcher.run(Launcher.script(), Map.of(), "--version");
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.out.matches("bao-injector \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), r.out);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"syntax-error.yaml", "unknown-nested-key.yaml", "socket-path-too-long.yaml"})
  void badConfigExits2WithOneLine(String name) throws Exception {
    Path file = Fixtures.dir("bad-config").resolve(name);
    Launcher r = Launcher.run(Launcher.script(), ENV, "check", "-c", file.toString());
    assertEquals(2, r.exit, r.toString());
    assertEquals("bao-injector: " + Fixtures.expectedMessage(file) + "\n", r.err);
    assertFalse(r.err.contains("\tat "));
  }

  @Test
  void goodConfigExits0() throws Exception {
    Path file = Fixtures.dir("good-config").resolve("full.yaml");
    Launcher r = Launcher.run(Launcher.script(), ENV, "check", "-c", file.toString());
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.out.startsWith(file + ": ok\n"), r.out);
    assertEquals("", r.err);
  }

  @Test
  void usageErrorExits2() throws Exception {
    Launcher r = Launcher.run(Launcher.script(), Map.of(), "check", "--bogus");
    assertEquals(2, r.exit, r.toString());
    assertEquals(
        "bao-injector: Unknown option: '--bogus'\nTry 'bao-injector check --help' for usage.\n",
        r.err);
  }
}
