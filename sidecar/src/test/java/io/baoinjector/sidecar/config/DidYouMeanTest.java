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
    assertEquals(java.time.Duration.ofMillis(500), Scalars.duration("500ms", null));
    assertEquals(java.time.Duration.ofSeconds(3723), Scalars.duration(" 1h2m3s", null));
    assertEquals("90s", io.baoinjector.shared.Durations.format(90_000));
    assertEquals("1h", io.baoinjector.shared.Durations.format(3_600_000));
    assertEquals("87600h", io.baoinjector.shared.Durations.format(Scalars.MAX_DURATION.toMillis()));
    for (String bad : List.of("", "30", "s", "1d", "-5s", "5 s", "1.5s", "0s", "87601h")) {
      org.junit.jupiter.api.Assertions.assertThrows(
          Binder.Bad.class, () -> Scalars.duration(bad, null), bad);
    }
  }
}
