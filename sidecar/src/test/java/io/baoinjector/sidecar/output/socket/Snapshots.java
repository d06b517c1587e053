package io.baoinjector.sidecar.output.socket;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.snapshot.Snapshot;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds snapshot entries for tests. */
final class Snapshots {
  private Snapshots() {}

  static Map<String, Snapshot.Entry> entries(String... kv) {
    Map<String, Snapshot.Entry> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put(
          kv[i],
          new Snapshot.Entry(
              SecretValue.of(kv[i + 1]), 3, "secret/app#" + kv[i].toLowerCase(), Instant.now()));
    }
    return m;
  }
}
