package io.baoinjector.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SystemPropertiesTest {
  @AfterEach
  void clear() {
    System.clearProperty("sp.test.had");
    System.clearProperty("sp.test.new");
  }

  @Test
  void setsKeepsCurrentAndRestoresWhatItNoLongerManages() {
    System.setProperty("sp.test.had", "original");
    SystemProperties props = new SystemProperties();
    props.apply(Map.of("sp.test.had", "v1", "sp.test.new", "n1"));
    assertEquals("v1", System.getProperty("sp.test.had"));
    assertEquals("n1", System.getProperty("sp.test.new"));
    props.apply(Map.of("sp.test.had", "v2", "sp.test.new", "n2"));
    assertEquals("v2", System.getProperty("sp.test.had"));
    props.apply(Map.of());
    assertEquals("original", System.getProperty("sp.test.had"));
    assertNull(System.getProperty("sp.test.new"));
    props.apply(Map.of("sp.test.had", "v3"));
    props.apply(Map.of());
    assertEquals("original", System.getProperty("sp.test.had"), "the original, not v2");
  }
}
