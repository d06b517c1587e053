package io.baoinjector.agent.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesWithinJitterUpToTheMaximumAndResets() {
    Backoff b = new Backoff(100, 1000);
    long[] bases = {100, 200, 400, 800, 1000, 1000};
    for (long base : bases) {
      long d = b.nextMillis();
      assertTrue(d >= base * 4 / 5 && d <= base * 6 / 5, base + " -> " + d);
    }
    b.reset();
    long d = b.nextMillis();
    assertTrue(d >= 80 && d <= 120, "after reset: " + d);
  }
}
