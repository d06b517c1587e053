package io.baoinjector.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests start the sidecar with the launcher's JVM flags, read from the script itself. */
class SidecarProcessTest {
  @Test
  void theLaunchersFlagsComeBeforeTheJar() {
    List<String> flags = SidecarProcess.shippedJvmFlags();
    assertEquals("-XX:+UnlockDiagnosticVMOptions", flags.get(0), flags.toString());
    assertTrue(flags.contains("-Xmx64m"), flags.toString());
    assertTrue(flags.contains("-XX:TieredStopAtLevel=1"), flags.toString());
    assertEquals("-XX:+ExitOnOutOfMemoryError", flags.get(flags.size() - 1), flags.toString());
    assertTrue(flags.stream().allMatch(f -> f.startsWith("-X")), "only JVM flags: " + flags);
  }
}
