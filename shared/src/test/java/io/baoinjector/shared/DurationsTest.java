package io.baoinjector.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DurationsTest {
  private static final long CAP = 87_600L * 3_600_000;

  @Test
  void partsInAnyUnitAddUp() {
    assertEquals(500, Durations.millis("500ms", CAP));
    assertEquals(30_000, Durations.millis("30s", CAP));
    assertEquals(3_723_004, Durations.millis("1h2m3s4ms", CAP));
    assertEquals(90_000, Durations.millis("1m30s", CAP));
    assertEquals(0, Durations.millis("0s", CAP));
    assertEquals(7, Durations.millis("007ms", CAP));
  }

  @Test
  void anythingElseIsInvalid() {
    for (String bad :
        new String[] {"", "30", "s", "1d", "-5s", "+5s", "5 s", " 5s", "1.5s", "1h3"}) {
      assertEquals(Durations.INVALID, Durations.millis(bad, CAP), bad);
    }
  }

  @Test
  void overTheCapIsTooLargeHoweverManyDigits() {
    assertEquals(CAP, Durations.millis("87600h", CAP));
    assertEquals(Durations.TOO_LARGE, Durations.millis("87600h1ms", CAP));
    assertEquals(Durations.TOO_LARGE, Durations.millis("87601h", CAP));
    assertEquals(Durations.TOO_LARGE, Durations.millis("9223372036854775807h", CAP));
    assertEquals(Durations.TOO_LARGE, Durations.millis("99999999999999999999999s", CAP));
    assertEquals(Durations.TOO_LARGE, Durations.millis("99999999999999999999999s1s", CAP));
    assertEquals(Durations.INVALID, Durations.millis("99999999999999999999999sx", CAP));
    assertEquals(Durations.TOO_LARGE, Durations.millis("6m", 300_000 - 1));
  }

  @Test
  void formatIsTheShortestTextThatReadsBack() {
    assertEquals("90s", Durations.format(90_000));
    assertEquals("1h", Durations.format(3_600_000));
    assertEquals("2m", Durations.format(120_000));
    assertEquals("1500ms", Durations.format(1500));
  }
}
