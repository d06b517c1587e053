package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A name without a value says why, in OpenBao's terms (real OpenBao, the log as written). */
@ExtendWith(OpenBaoExtension.class)
@Timeout(60)
class ResolveMessagesTest {
  @RegisterExtension final StderrCapture stderr = new StderrCapture();

  private String log() {
    return stderr.log();
  }

  private static Refresher refresher(OpenBao bao, Map<String, String> secrets) {
    return Fixtures.refresher(bao, Fixtures.config(bao, secrets));
  }

  @Test
  void aDestroyedOrDeletedVersionIsNamedAsSuch(OpenBao bao) {
    bao.put("app/db", Map.of("password", "v1"));
    bao.put("app/db", Map.of("password", "v2"));
    bao.put("app/db", Map.of("password", "v3"));
    bao.cli("kv", "destroy", "-versions=2", "secret/app/db");
    Refresher r =
        refresher(bao, Map.of("OLD", "secret/app/db#password@2", "CUR", "secret/app/db#password"));
    assertEquals("v3", r.loadAll().values().get("CUR").value().reveal());
    bao.cli("kv", "delete", "secret/app/db"); // the current version, 3

    Snapshot s = r.loadAll();
    assertEquals(Set.of("OLD", "CUR"), s.unresolved(), "a deleted current version is noticed");
    assertTrue(
        log().contains("OLD: secret/app/db version 2 was destroyed (pin a version that exists)"),
        log());
    assertTrue(
        log()
            .contains(
                "CUR: secret/app/db version 3 was deleted"
                    + " (bao kv undelete -versions=3 secret/app/db restores it)"),
        log());
    assertFalse(log().contains("does not exist"), log());
  }

  @Test
  void aJsonNullValueIsNamedAsNull(OpenBao bao) {
    Map<String, Object> data = new HashMap<>();
    data.put("key", null);
    data.put("other", "x");
    bao.api("POST", "secret/data/app/n", Map.of("data", data));
    Snapshot s = refresher(bao, Map.of("NULLED", "secret/app/n#key")).loadAll();
    assertEquals(Set.of("NULLED"), s.unresolved());
    assertTrue(
        log().contains("NULLED: key \"key\" of secret/app/n is null (write a string value)"),
        log());
    assertFalse(log().contains("has no key"), log());
  }
}
