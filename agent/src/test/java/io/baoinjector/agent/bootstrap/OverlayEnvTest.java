package io.baoinjector.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** In-process: the overlay's map semantics (the forked-JVM tests prove the hooks). */
class OverlayEnvTest {
  private final Map<String, String> real = Map.of("HOME", "/root", "DB_PASSWORD", "real-pw");

  @AfterEach
  void reset() {
    ManagedEnv.replace(Map.of());
  }

  @Test
  void managedNamesOverrideOthersPassThroughAndTheKeySetFollowsTheSnapshot() {
    OverlayEnv env = new OverlayEnv(real);
    assertEquals(real, env);
    ManagedEnv.replace(Map.of("DB_PASSWORD", "managed", "NEW", "n"));
    assertEquals("managed", env.get("DB_PASSWORD"));
    assertEquals("/root", env.get("HOME"));
    assertNull(env.get("ABSENT"));
    assertTrue(env.containsKey("NEW"));
    assertEquals(3, env.size());
    Set<String> keys = env.keySet();
    assertEquals(Set.of("HOME", "DB_PASSWORD", "NEW"), keys);
    Map<String, String> copy = new HashMap<>(env);
    assertEquals(Map.of("HOME", "/root", "DB_PASSWORD", "managed", "NEW", "n"), copy);

    ManagedEnv.replace(Map.of());
    assertEquals(Set.of("HOME", "DB_PASSWORD"), keys, "a key set obtained earlier is live");
    assertEquals("real-pw", env.get("DB_PASSWORD"));
    assertFalse(env.containsKey("NEW"));
    assertEquals(real, env);
    assertEquals(real.hashCode(), env.hashCode());
  }

  @Test
  void readOnlyAsTheJdksMapIs() {
    OverlayEnv env = new OverlayEnv(real);
    ManagedEnv.replace(Map.of("A", "1"));
    assertThrows(UnsupportedOperationException.class, () -> env.put("X", "y"));
    assertThrows(UnsupportedOperationException.class, () -> env.remove("A"));
    assertThrows(UnsupportedOperationException.class, env::clear);
    assertThrows(UnsupportedOperationException.class, () -> env.keySet().remove("HOME"));
    assertThrows(
        UnsupportedOperationException.class, () -> env.entrySet().iterator().next().setValue("z"));
  }

  @Test
  void theHookHandsOutOneInstance() {
    Map<String, String> a = Hooks.environment(real);
    assertSame(a, Hooks.environment(real));
    assertNull(Hooks.getenv("UNMANAGED"));
    ManagedEnv.replace(Map.of("UNMANAGED", "m"));
    assertEquals("m", Hooks.getenv("UNMANAGED"));
  }
}
