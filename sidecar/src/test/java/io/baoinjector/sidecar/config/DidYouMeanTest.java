package io.baoinjector.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {
  @Test
  void suggestsCloseWordsOnly() {
    List<String> keys = ConfigKeys.AUTH.keys();
    assertEquals("role-id-file", DidYouMean.closest("roleid-file", keys));
    assertEquals("role-id-file", DidYouMean.closest("role_id_file", keys));
    assertEquals("secret-id-file", DidYouMean.closest("secret-id-fiel", keys));
    assertNull(DidYouMean.closest("colour", keys));
    assertEquals("DB_PASSWORD", DidYouMean.closest("DB_PASS", List.of("DB_USER", "DB_PASSWORD")));
    assertEquals(3, DidYouMean.distance("kitten", "sitting"));
  }

  @Test
  void durations() {
    assertEquals(java.time.Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(java.time.Duration.ofSeconds(3723), Durations.parse("1h2m3s"));
    assertEquals("90s", Durations.format(java.time.Duration.ofSeconds(90)));
    assertEquals("1h", Durations.format(java.time.Duration.ofHours(1)));
    for (String bad : List.of("", "30", "s", "1d", "-5s", "5 s", "1.5s", "0s")) {
      org.junit.jupiter.api.Assertions.assertThrows(
          IllegalArgumentException.class, () -> Durations.parse(bad), bad);
    }
  }
}
