package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.baoinjector.sidecar.openbao.Mount;
import org.junit.jupiter.api.Test;

/** bank-vaults' {@code vault:} API path against the mount it lives on. */
class MountKvPathTest {
  static final Mount V2 = new Mount("secret/", "kv", 2);
  static final Mount V1 = new Mount("kv1/", "kv", 1);

  @Test
  void onKvV2TheDataSegmentAfterTheMountIsDropped() {
    assertEquals("secret/app/db", V2.kvPath("secret/data/app/db", true));
    // only right after the mount: a later data/ is part of the name
    assertEquals("secret/app/data/x", V2.kvPath("secret/data/app/data/x", true));
    assertEquals("secret/app/db", V2.kvPath("secret/app/db", true));
  }

  @Test
  void onKvV1AnotherEngineOrOurFormItStays() {
    assertEquals("kv1/data/app", V1.kvPath("kv1/data/app", true));
    assertEquals(
        "database/data/x", new Mount("database/", "database", 0).kvPath("database/data/x", true));
    assertEquals("secret/data/app", V2.kvPath("secret/data/app", false));
    assertEquals("secret/data/app", Mount.GUESSED.kvPath("secret/data/app", true));
  }
}
