package io.baoinjector.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HomeDirTest {
  @Test
  void homeVariableWinsOverThePasswdHome() {
    assertEquals(
        Path.of("/elsewhere/.vault-token"), HomeDir.vaultToken(Map.of("HOME", "/elsewhere")));
  }

  @Test
  void passwdHomeOnlyWhenHomeIsUnsetOrEmpty() {
    Path passwd = Path.of(System.getProperty("user.home"));
    assertEquals(passwd, HomeDir.of(Map.of()));
    assertEquals(passwd, HomeDir.of(Map.of("HOME", "")));
  }
}
