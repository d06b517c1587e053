package io.baoinjector.sidecar.output.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a sidecar's document (or a KV key through env-from) can and cannot put into the child. */
class ChildEnvironmentTest {
  @Test
  void onlyValidNamesWithNulFreeValuesReachTheChild() {
    Map<String, String> mapped = new LinkedHashMap<>();
    mapped.put("A=B", "x");
    mapped.put("NUL\0", "x");
    mapped.put("", "x");
    mapped.put("1ABC", "x");
    mapped.put("HAS_NUL", "canary\0tail");
    mapped.put("VAR[0]", "part");
    mapped.put("OK", "v");
    assertEquals(
        Map.of("HOME", "/root", "OK", "v"),
        ChildEnvironment.build(Map.of("HOME", "/root", "BAO_TOKEN", "t"), mapped, Set.of()));
  }
}
