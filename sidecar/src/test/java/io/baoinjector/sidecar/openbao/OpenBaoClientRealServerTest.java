package io.baoinjector.sidecar.openbao;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.config.TestSettings;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the client makes of a real OpenBao's answers. */
@ExtendWith(OpenBaoExtension.class)
@Timeout(120)
class OpenBaoClientRealServerTest {
  private static OpenBaoClient client(OpenBao bao, String namespace, URI... more) {
    List<URI> addresses = new java.util.ArrayList<>(List.of(more));
    addresses.add(URI.create(bao.address()));
    return OpenBaoClient.builder(TestSettings.openbao(addresses, namespace, null, false))
        .sleeper(new RecordingSleeper())
        .build();
  }

  @Test
  void readsWritesAndMapsErrors(OpenBao bao) throws Exception {
    SecretValue root = SecretValue.of(bao.rootToken());
    URI dead = URI.create("http://127.0.0.1:" + OpenBao.freePort());
    OpenBaoClient c = client(bao, "", dead);
    c.post("secret/data/app/db", Map.of("data", Map.of("password", "pw")), root);
    JsonNode r = c.get("secret/data/app/db", root);
    assertEquals("pw", r.path("data").path("data").path("password").asText());
    assertEquals(URI.create(bao.address() + "/").getPort(), c.currentAddress().getPort());

    assertThrows(NotFoundException.class, () -> c.get("secret/data/app/none", root));
    SecretValue weak = SecretValue.of(bao.createToken(Map.of("policies", List.of("default"))));
    PermissionDeniedException denied =
        assertThrows(PermissionDeniedException.class, () -> c.get("secret/data/app/db", weak));
    assertTrue(denied.getMessage().contains("permission denied"), denied.getMessage());
    assertFalse(denied.getMessage().contains(weak.reveal()));

    // KV v2: a deleted version is a 404 whose body still carries the version's metadata
    c.delete("secret/data/app/db", root);
    NotFoundException deleted =
        assertThrows(NotFoundException.class, () -> c.get("secret/data/app/db", root));
    assertNotNull(deleted.body(), "the body of a deleted version is kept");
    assertFalse(
        deleted.body().path("data").path("metadata").path("deletion_time").asText().isEmpty());

    JsonNode health = c.health();
    assertFalse(health.path("sealed").asBoolean(true));
    assertFalse(health.path("version").asText().isEmpty());
  }

  @Test
  void namespaceHeaderSelectsTheNamespace(OpenBao bao) {
    SecretValue root = SecretValue.of(bao.rootToken());
    bao.api("POST", "sys/namespaces/team", Map.of());
    OpenBaoClient inTeam = client(bao, "team", new URI[0]);
    inTeam.post("sys/mounts/kv", Map.of("type", "kv", "options", Map.of("version", "2")), root);
    inTeam.post("kv/data/app", Map.of("data", Map.of("k", "in-team")), root);
    assertEquals(
        "in-team", inTeam.get("kv/data/app", root).path("data").path("data").path("k").asText());
    OpenBaoClient atRoot = client(bao, "", new URI[0]);
    assertThrows(OpenBaoException.class, () -> atRoot.get("kv/data/app", root));
  }

  @Test
  void sealedServerIsSealedException(OpenBao bao) {
    SecretValue root = SecretValue.of(bao.rootToken());
    bao.seal();
    OpenBaoClient c = client(bao, "", new URI[0]);
    SealedException e = assertThrows(SealedException.class, () -> c.get("secret/data/x", root));
    assertEquals(503, e.status());
    assertTrue(c.health().path("sealed").asBoolean());
  }
}
