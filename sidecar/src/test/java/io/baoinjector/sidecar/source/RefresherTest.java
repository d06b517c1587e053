package io.baoinjector.sidecar.source;

import static io.baoinjector.sidecar.source.Fixtures.refresher;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.sidecar.token.ForbiddenVerdict;
import io.baoinjector.sidecar.token.TokenProvider;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(OpenBaoExtension.class)
@Timeout(120)
class RefresherTest {

  /** A token whose only policy, {@code name}, is {@code policy}. */
  private static Fixtures.FixedToken tokenWithPolicy(OpenBao bao, String name, String policy) {
    bao.writePolicy(name, policy);
    return new Fixtures.FixedToken(bao.createToken(Map.of("policies", List.of(name))));
  }

  @Test
  void readsKvV2ByKeyAndPinnedVersion(OpenBao bao) {
    bao.put("app/db", Map.of("username", "app", "password", "first"));
    bao.put("app/db", Map.of("username", "app", "password", "second"));
    Snapshot s =
        refresher(
                bao,
                Fixtures.config(
                    bao,
                    Map.of(
                        "DB_USER", "secret/app/db#username",
                        "DB_PASSWORD", "secret/app/db#password",
                        "OLD_PASSWORD", "secret/app/db#password@1")))
            .loadAll();
    assertEquals("app", s.values().get("DB_USER").value().reveal());
    assertEquals("second", s.values().get("DB_PASSWORD").value().reveal());
    assertEquals(2, s.values().get("DB_PASSWORD").version());
    assertEquals("first", s.values().get("OLD_PASSWORD").value().reveal());
    assertEquals(1, s.values().get("OLD_PASSWORD").version());
    assertTrue(s.ready());
    assertTrue(s.unresolved().isEmpty());
    assertEquals(1, s.revision());
  }

  @Test
  void beforeTheFirstRoundEveryNameIsListedUnresolved(OpenBao bao) {
    SnapshotHub hub = new SnapshotHub();
    refresher(
        bao,
        hub,
        Fixtures.config(
            bao,
            Map.of("DB_PASSWORD", "secret/app/db#password"),
            List.of(Fixtures.envFrom("secret/app/prod", "", false)),
            Map.of("db.password", "secret/app/db#password"),
            Duration.ofSeconds(30)));
    Snapshot s = hub.current();
    assertEquals(Set.of("DB_PASSWORD", "db.password", "env-from:secret/app/prod"), s.unresolved());
    assertFalse(s.ready());
    assertEquals(0, s.revision());
  }

  @Test
  void readsKvV1(OpenBao bao) {
    bao.enableKvV1("kv1");
    bao.kvV1Put("kv1", "legacy/app", Map.of("api_key", "k1"));
    Refresher r = refresher(bao, Fixtures.config(bao, Map.of("API_KEY", "kv1/legacy/app#api_key")));
    assertEquals("k1", r.loadAll().values().get("API_KEY").value().reveal());
    bao.kvV1Put("kv1", "legacy/app", Map.of("api_key", "k2"));
    Snapshot s = r.loadAll();
    assertEquals("k2", s.values().get("API_KEY").value().reveal());
    assertNull(s.values().get("API_KEY").version());
    assertEquals(2, s.revision());
  }

  @Test
  void rotationIsOneRevisionPerRoundAndNoChangeKeepsTheRevision(OpenBao bao) {
    bao.put("app/db", Map.of("password", "p1"));
    bao.put("app/stripe", Map.of("api_key", "s1"));
    Refresher r =
        refresher(
            bao,
            Fixtures.config(
                bao,
                Map.of(
                    "DB_PASSWORD",
                    "secret/app/db#password",
                    "STRIPE_KEY",
                    "secret/app/stripe#api_key")));
    assertEquals(1, r.loadAll().revision());
    assertEquals(1, r.loadAll().revision(), "a round with no change keeps the revision");
    bao.put("app/db", Map.of("password", "p2"));
    bao.put("app/stripe", Map.of("api_key", "s2"));
    Snapshot s = r.loadAll();
    assertEquals(2, s.revision(), "two secrets changed in one round: one revision");
    assertEquals("p2", s.values().get("DB_PASSWORD").value().reveal());
    assertEquals("s2", s.values().get("STRIPE_KEY").value().reveal());
  }

  @Test
  void envFromAddsEveryKeyWithPrefixSanitizeAndCollisionRules(OpenBao bao) {
    bao.put("app/prod", Map.of("api-key", "a", "DB_PASSWORD", "from-env-from", "region", "eu"));
    bao.put("app/override", Map.of("region", "us"));
    bao.put("app/db", Map.of("password", "explicit"));
    Refresher r =
        refresher(
            bao,
            Fixtures.config(
                bao,
                Map.of("DB_PASSWORD", "secret/app/db#password"),
                List.of(
                    Fixtures.envFrom("secret/app/prod", "", true),
                    Fixtures.envFrom("secret/app/override", "", true)),
                Map.of(),
                Duration.ofSeconds(30)));
    Snapshot s = r.loadAll();
    assertEquals("a", s.values().get("API_KEY").value().reveal(), "sanitized name");
    assertEquals("explicit", s.values().get("DB_PASSWORD").value().reveal(), "secrets: wins");
    assertEquals("us", s.values().get("REGION").value().reveal(), "the later env-from wins");
    assertTrue(s.ready());

    bao.put("app/prod", Map.of("DB_PASSWORD", "x", "region", "eu"));
    Snapshot after = r.loadAll();
    assertFalse(after.values().containsKey("API_KEY"), "a key deleted in OpenBao leaves");
    assertTrue(after.revision() > s.revision());
  }

  @Test
  void envFromKeepsKeysThatAreNotEnvNamesWithoutSanitize(OpenBao bao) {
    bao.put("app/prod", Map.of("api-key", "a", "OK", "b"));
    Snapshot s = loadEnvFrom(bao, Fixtures.envFrom("secret/app/prod", "P_", false));
    assertEquals(Set.of("P_api-key", "P_OK"), s.values().keySet());
  }

  @Test
  void envFromNeverLetsAKvWriterSetALoaderOrStartupVariable(OpenBao bao) {
    bao.put(
        "app/prod",
        Map.of(
            "LD_PRELOAD", "/tmp/evil.so",
            "ld-library-path", "/tmp",
            "PATH", "/tmp/evil-bin",
            "BASH_ENV", "/tmp/evil.sh",
            "JAVA_TOOL_OPTIONS", "-javaagent:/tmp/evil.jar",
            "NODE_OPTIONS", "--require /tmp/evil.js",
            "OK", "b"));
    Snapshot s =
        loadEnvFrom(
            bao,
            Fixtures.envFrom("secret/app/prod", "", true),
            Fixtures.envFrom("secret/app/prod", "APP_", false));
    assertEquals(
        Set.of(
            "OK",
            "APP_LD_PRELOAD",
            "APP_ld-library-path",
            "APP_PATH",
            "APP_BASH_ENV",
            "APP_JAVA_TOOL_OPTIONS",
            "APP_NODE_OPTIONS",
            "APP_OK"),
        s.values().keySet(),
        "with a prefix the names are harmless; without, the hooks are skipped");
    assertTrue(s.ready());
  }

  /** One load of a config whose only names come from {@code envFrom}. */
  private static Snapshot loadEnvFrom(OpenBao bao, SidecarConfig.EnvFrom... envFrom) {
    return refresher(
            bao, Fixtures.config(bao, Map.of(), List.of(envFrom), Map.of(), Duration.ofSeconds(30)))
        .loadAll();
  }

  @Test
  void propertiesResolveLikeSecrets(OpenBao bao) {
    bao.put("app/db", Map.of("password", "pw"));
    Snapshot s =
        refresher(
                bao,
                Fixtures.config(
                    bao,
                    Map.of(),
                    List.of(),
                    Map.of("spring.datasource.password", "secret/app/db#password"),
                    Duration.ofSeconds(30)))
            .loadAll();
    assertEquals("pw", s.properties().get("spring.datasource.password").value().reveal());
    assertTrue(s.ready());
  }

  @Test
  void aDeniedPathIsUnresolvedWithoutAskingForALoginTwice(OpenBao bao) {
    bao.put("app/db", Map.of("password", "pw"));
    bao.put("app/admin", Map.of("key", "nope"));
    Fixtures.FixedToken creds =
        tokenWithPolicy(
            bao,
            "app",
            "path \"secret/data/app/db\" { capabilities = [\"read\"] }\n"
                + "path \"secret/metadata/app/db\" { capabilities = [\"read\"] }\n");
    Refresher r =
        refresher(
            bao,
            Fixtures.config(
                bao,
                Map.of(
                    "DB_PASSWORD", "secret/app/db#password", "ADMIN_KEY", "secret/app/admin#key")),
            creds);
    Snapshot s = r.loadAll();
    assertEquals("pw", s.values().get("DB_PASSWORD").value().reveal());
    assertFalse(s.values().containsKey("ADMIN_KEY"));
    assertEquals(Set.of("ADMIN_KEY"), s.unresolved());
    assertFalse(s.ready());
    assertFalse(s.stale(), "a denied path is not an outage");
    assertTrue(r.deniedPaths().containsKey("secret/app/admin"));
    assertTrue(creds.forbiddenAsks.get() >= 1);
  }

  @Test
  void metadataDeniedFallsBackToReadingData(OpenBao bao) {
    bao.put("app/db", Map.of("password", "p1"));
    Refresher r =
        refresher(
            bao,
            Fixtures.config(bao, Map.of("DB_PASSWORD", "secret/app/db#password")),
            tokenWithPolicy(
                bao, "data-only", "path \"secret/data/app/db\" { capabilities = [\"read\"] }\n"));
    assertEquals("p1", r.loadAll().values().get("DB_PASSWORD").value().reveal());
    bao.put("app/db", Map.of("password", "p2"));
    Snapshot s = r.loadAll();
    assertEquals("p2", s.values().get("DB_PASSWORD").value().reveal());
    assertTrue(s.unresolved().isEmpty());
    assertEquals(List.of("secret/app/db"), r.metadataDeniedPaths());
  }

  /** A token that is dead until the first 403 verdict, which "logs in" again with root. */
  private static final class DeadThenRoot implements TokenProvider {
    private volatile String token = "dead-token";
    private final String root;

    DeadThenRoot(String root) {
      this.root = root;
    }

    @Override
    public SecretValue currentToken() {
      return SecretValue.of(token);
    }

    @Override
    public ForbiddenVerdict onForbidden(SecretValue used) {
      if (used.reveal().equals("dead-token")) {
        token = root;
        return ForbiddenVerdict.RETRY;
      }
      return ForbiddenVerdict.DENIED;
    }
  }

  @Test
  void aDeadTokenOnTheMountLookupIsReplacedNotTakenForKvV1(OpenBao bao) {
    bao.put("app/db", Map.of("password", "pw"));
    Refresher r =
        refresher(
            bao,
            Fixtures.config(bao, Map.of("DB_PASSWORD", "secret/app/db#password")),
            new DeadThenRoot(bao.rootToken()));
    Snapshot s = r.loadAll();
    assertEquals("pw", s.values().get("DB_PASSWORD").value().reveal(), "read as KV v2");
    assertEquals(1, s.values().get("DB_PASSWORD").version());
    assertTrue(r.source("secret/app/db") instanceof KvV2Source);
  }

  @Test
  void aPolicyThatDeniesTheMountsEndpointStillReadsKvV2(OpenBao bao) {
    // OpenBao answers sys/internal/ui/mounts/PATH for any mount the token may use some path on,
    // whatever the policy says about that endpoint (checked on 2.7.2), so KV v2 is still found.
    bao.put("app/db", Map.of("password", "pw"));
    TokenProvider token =
        tokenWithPolicy(
            bao,
            "no-mounts",
            "path \"secret/data/app/db\" { capabilities = [\"read\"] }\n"
                + "path \"sys/internal/ui/mounts/*\" { capabilities = [\"deny\"] }\n");
    Refresher r =
        refresher(
            bao, Fixtures.config(bao, Map.of("DB_PASSWORD", "secret/app/db#password")), token);
    Snapshot s = r.loadAll();
    assertEquals("pw", s.values().get("DB_PASSWORD").value().reveal());
    assertEquals(1, s.values().get("DB_PASSWORD").version(), "read as KV v2");
    r.loadAll();
    assertEquals(List.of("secret/app/db"), r.metadataDeniedPaths(), "the metadata fallback");
  }

  @Test
  void aPathOnAMountTheTokenMayNotUseIsLookedUpAgainOnceGranted(OpenBao bao) {
    bao.enableKvV2("other");
    bao.kvV2Put("other", "app", Map.of("key", "granted"));
    TokenProvider token =
        tokenWithPolicy(bao, "p", "path \"secret/data/x\" { capabilities = [\"read\"] }\n");
    Refresher r = refresher(bao, Fixtures.config(bao, Map.of("KEY", "other/app#key")), token);
    assertEquals(Set.of("KEY"), r.loadAll().unresolved());
    assertTrue(r.deniedPaths().containsKey("other/app"), r.deniedPaths().toString());

    bao.writePolicy(
        "p",
        "path \"other/data/app\" { capabilities = [\"read\"] }\n"
            + "path \"other/metadata/app\" { capabilities = [\"read\"] }\n");
    Snapshot s = r.loadAll();
    assertEquals("granted", s.values().get("KEY").value().reveal());
    assertTrue(s.unresolved().isEmpty());
  }

  @Test
  void aMountReplacedByAnotherKvVersionIsLookedUpAgain(OpenBao bao) {
    bao.enableKvV1("legacy");
    bao.kvV1Put("legacy", "app", Map.of("key", "from-v1"));
    Refresher r = refresher(bao, Fixtures.config(bao, Map.of("KEY", "legacy/app#key")));
    assertEquals("from-v1", r.loadAll().values().get("KEY").value().reveal());

    bao.api("DELETE", "sys/mounts/legacy", null);
    bao.enableKvV2("legacy");
    bao.kvV2Put("legacy", "app", Map.of("key", "from-v2"));
    r.loadAll(); // reads the path as KV v1: absent, so the mount is looked up again next time
    Snapshot s = r.loadAll();
    assertEquals("from-v2", s.values().get("KEY").value().reveal());
    assertEquals(1, s.values().get("KEY").version());
  }

  @Test
  void outageServesStaleValuesAndRecoversWithoutRestart(OpenBao bao) throws Exception {
    bao.put("app/db", Map.of("password", "before"));
    SnapshotHub hub = new SnapshotHub();
    try (Refresher r =
        refresher(
            bao,
            hub,
            Fixtures.config(
                bao,
                Map.of("DB_PASSWORD", "secret/app/db#password"),
                List.of(),
                Map.of(),
                Duration.ofSeconds(1)))) {
      assertEquals("before", r.loadAll().values().get("DB_PASSWORD").value().reveal());
      r.start();
      bao.stop();
      Snapshot stale = await(hub, Snapshot::stale, "stale after OpenBao stopped");
      assertEquals("before", stale.values().get("DB_PASSWORD").value().reveal());
      assertTrue(stale.ready(), "readiness survives an outage");
      assertTrue(r.outage().isPresent());

      bao.restart(); // the dev server comes back empty: seed it again
      bao.put("app/db", Map.of("password", "after"));
      Snapshot fresh =
          await(
              hub,
              s -> !s.stale() && "after".equals(s.values().get("DB_PASSWORD").value().reveal()),
              "fresh after OpenBao returned");
      assertTrue(fresh.revision() > stale.revision());
      assertTrue(r.outage().isEmpty());
    }
  }

  static Snapshot await(SnapshotHub hub, Predicate<Snapshot> p, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Snapshot s = hub.current();
      if (p.test(s)) {
        return s;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("timed out waiting for: " + what + "; last " + hub.current());
  }
}
