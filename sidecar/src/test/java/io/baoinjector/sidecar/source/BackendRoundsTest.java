package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendFactory;
import io.baoinjector.sidecar.backend.BackendSecret;
import io.baoinjector.sidecar.backend.Backends;
import io.baoinjector.sidecar.config.BackendSettings;
import io.baoinjector.sidecar.config.ConfigLoader;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.snapshot.BackendStatus;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rounds over OpenBao (real) and a backend (scripted in memory: no store here fails on command):
 * the version check saves reads, a store that is down is stale alone and waits its backoff, a
 * denied or missing secret is that name's problem, and the fallback stands in only for a store that
 * never answered.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(120)
class BackendRoundsTest {
  static final String CANARY = "canary-backend-Xq81";

  /** Secrets by folder as JSON text, each with a version, and a switch that makes it fail. */
  static final class ScriptedStore implements Backend {
    final Map<String, String> text = new ConcurrentHashMap<>();
    final Map<String, Integer> versions = new ConcurrentHashMap<>();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger checks = new AtomicInteger();
    volatile BackendException.Kind failing;

    void put(String folder, String json) {
      text.put(folder, json);
      versions.merge(folder, 1, Integer::sum);
    }

    private void maybeFail(Reference ref) {
      BackendException.Kind k = failing;
      if (k != null) {
        throw new BackendException(k, ref + ": scripted " + k);
      }
    }

    @Override
    public BackendSecret read(Reference ref) {
      reads.incrementAndGet();
      maybeFail(ref);
      String t = text.get(ref.path());
      if (t == null) {
        throw new BackendException(BackendException.Kind.NOT_FOUND, ref + ": no such folder");
      }
      return BackendSecret.ofText(t, String.valueOf(versions.get(ref.path())));
    }

    @Override
    public String currentVersion(Reference ref) {
      checks.incrementAndGet();
      maybeFail(ref);
      Integer v = versions.get(ref.path());
      return v == null ? null : String.valueOf(v);
    }
  }

  /** OpenBao's DB_PASSWORD and the scripted store's API_KEY, and {@code extra} config lines. */
  static SidecarConfig config(String address, Path dir, String extra) throws Exception {
    String yaml =
        "openbao: {address: '"
            + address
            + "'}\n"
            + "backends:\n"
            + io.baoinjector.sidecar.config.Fixtures.infisicalBlock("store", dir)
            + "secrets:\n"
            + "  DB_PASSWORD: secret/app/db#password\n"
            + "  API_KEY: store:/app#API_KEY\n"
            + extra;
    return ConfigLoader.load(yaml, dir.resolve("sidecar.yaml"), Map.of());
  }

  /** A factory of the {@code infisical} type that opens {@code b}. */
  static BackendFactory factoryOf(Backend b) {
    return new BackendFactory() {
      @Override
      public String type() {
        return "infisical";
      }

      @Override
      public Backend open(String name, BackendSettings settings) {
        return b;
      }
    };
  }

  private final ScriptedStore store = new ScriptedStore();
  private final ManualClock clock = new ManualClock();
  private final SnapshotHub hub = new SnapshotHub();
  private final List<String> outcomes = new CopyOnWriteArrayList<>();

  private Refresher refresher(String address, String token, Path dir, String extra)
      throws Exception {
    SidecarConfig cfg = config(address, dir, extra);
    OpenBaoClient client =
        OpenBaoClient.builder(cfg.openbao())
            .maxAttempts(1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    RefreshObserver observer =
        new RefreshObserver() {
          @Override
          public void round(boolean ok, boolean changed, Duration took) {}

          @Override
          public void backendRequest(String backend, String outcome) {
            outcomes.add(backend + ":" + outcome);
          }
        };
    return new Refresher(
        cfg,
        client,
        new Fixtures.FixedToken(token),
        hub,
        clock,
        observer,
        Backends.open(cfg, t -> t.equals("infisical") ? factoryOf(store) : null));
  }

  private static String value(Snapshot s, String name) {
    return s.values().get(name).value().reveal();
  }

  @Test
  void aRoundReadsBothStoresAndTheVersionCheckSavesReads(OpenBao bao, @TempDir Path dir)
      throws Exception {
    bao.put("app/db", Map.of("password", "bao-1"));
    store.put("/app", "{\"API_KEY\":\"" + CANARY + "-1\"}");
    Refresher r = refresher(bao.address(), bao.rootToken(), dir, "");
    Snapshot s = r.loadAll();
    assertEquals("bao-1", value(s, "DB_PASSWORD"));
    assertEquals(CANARY + "-1", value(s, "API_KEY"));
    assertTrue(s.ready() && !s.stale() && s.unresolved().isEmpty(), s.toString());
    assertEquals(Map.of("store", new BackendStatus(false, List.of())), hub.backends());
    assertEquals(1, store.reads.get());

    clock.advance(r.roundAndNextDelay()); // the interval passes: a full round
    r.roundAndNextDelay();
    assertEquals(1, store.reads.get(), "unchanged version: no read");
    assertTrue(store.checks.get() >= 1, "the version was checked");
    assertTrue(outcomes.contains("store:unchanged"), outcomes.toString());

    store.put("/app", "{\"API_KEY\":\"" + CANARY + "-2\"}");
    clock.advance(Duration.ofSeconds(30));
    r.roundAndNextDelay();
    assertEquals(2, store.reads.get(), "a new version is read");
    assertEquals(CANARY + "-2", value(hub.current(), "API_KEY"));
    assertEquals(s.revision() + 1, hub.current().revision());
    assertFalse(hub.current().toString().contains(CANARY), "no value in toString");
  }

  @Test
  void aStoreThatIsDownIsStaleAloneAndWaitsItsBackoff(OpenBao bao, @TempDir Path dir)
      throws Exception {
    bao.put("app/db", Map.of("password", "bao-1"));
    store.put("/app", "{\"API_KEY\":\"k-1\"}");
    Refresher r = refresher(bao.address(), bao.rootToken(), dir, "");
    r.loadAll();

    store.failing = BackendException.Kind.UNAVAILABLE;
    bao.put("app/db", Map.of("password", "bao-2"));
    clock.advance(Duration.ofSeconds(30));
    Duration wait = r.roundAndNextDelay();
    Snapshot s = hub.current();
    assertEquals("bao-2", value(s, "DB_PASSWORD"), "OpenBao's names stay fresh");
    assertEquals("k-1", value(s, "API_KEY"), "the store's names keep their last value");
    assertFalse(s.stale(), "the top-level flag is OpenBao's");
    assertEquals(Map.of("store", new BackendStatus(true, List.of("API_KEY"))), hub.backends());
    assertTrue(wait.compareTo(Duration.ofSeconds(2)) <= 0, "the retry comes first: " + wait);

    int asked = store.reads.get() + store.checks.get();
    r.roundAndNextDelay(); // before the store's retry time
    assertEquals(asked, store.reads.get() + store.checks.get(), "not asked before its retry");

    clock.advance(wait);
    r.roundAndNextDelay();
    assertEquals(asked + 1, store.reads.get() + store.checks.get(), "asked once at the retry");
    assertTrue(hub.backends().get("store").stale());

    store.failing = null;
    store.put("/app", "{\"API_KEY\":\"k-2\"}");
    clock.advance(Duration.ofSeconds(30));
    r.roundAndNextDelay();
    assertEquals("k-2", value(hub.current(), "API_KEY"));
    assertEquals(Map.of("store", new BackendStatus(false, List.of())), hub.backends());
  }

  @Test
  void aDeniedOrMissingSecretIsThatNamesProblem(OpenBao bao, @TempDir Path dir) throws Exception {
    bao.put("app/db", Map.of("password", "bao-1"));
    store.put("/app", "{\"API_KEY\":\"k-1\"}");
    Refresher r = refresher(bao.address(), bao.rootToken(), dir, "");
    r.loadAll();

    store.failing = BackendException.Kind.DENIED;
    clock.advance(Duration.ofSeconds(30));
    r.roundAndNextDelay();
    assertEquals(Map.of("store", new BackendStatus(false, List.of("API_KEY"))), hub.backends());
    assertTrue(r.deniedPaths().containsKey("store:/app"), r.deniedPaths().toString());
    assertEquals("k-1", value(hub.current(), "API_KEY"), "the last value is kept");

    store.failing = null;
    store.text.remove("/app");
    store.versions.remove("/app");
    clock.advance(Duration.ofMinutes(10)); // past the denied path's backoff
    r.roundAndNextDelay();
    assertEquals(List.of("API_KEY"), hub.backends().get("store").unresolved());
    assertFalse(hub.backends().get("store").stale(), "the store answered");
  }

  @Test
  void theFallbackStandsInOnlyForAStoreThatNeverAnswered(@TempDir Path dir) throws Exception {
    Path fb = Files.writeString(dir.resolve("fallback.env"), "DB_PASSWORD=from-fallback\n");
    store.put("/app", "{\"API_KEY\":\"k-1\"}");
    // nobody listens on port 9 of loopback: OpenBao never answers
    Refresher r = refresher("http://127.0.0.1:9", "t", dir, "fallback: file:" + fb + "\n");
    Snapshot s = r.loadAll();
    assertEquals("from-fallback", value(s, "DB_PASSWORD"));
    assertEquals("fallback:file:" + fb + "#DB_PASSWORD", s.values().get("DB_PASSWORD").source());
    assertNull(s.values().get("DB_PASSWORD").version());
    assertEquals("k-1", value(s, "API_KEY"), "the other store is read");
    assertTrue(s.stale(), "fallback values are flagged stale");
    assertTrue(s.ready(), "every name has a value: the application may start");
    assertTrue(s.unresolved().contains("DB_PASSWORD"), "it is not resolved from its store");
  }

  @Test
  void aStoreThatRefusesHasAnsweredSoTheFallbackDoesNotHideIt(OpenBao bao, @TempDir Path dir)
      throws Exception {
    bao.put("app/db", Map.of("password", "bao-1"));
    Path fb = Files.writeString(dir.resolve("fallback.env"), "API_KEY=from-fallback\n");
    store.failing = BackendException.Kind.DENIED; // a policy mistake, not an outage
    Refresher r = refresher(bao.address(), bao.rootToken(), dir, "fallback: file:" + fb + "\n");
    Snapshot s = r.loadAll();
    assertNull(s.values().get("API_KEY"), "a denied read is not covered by the fallback");
    assertTrue(s.unresolved().contains("API_KEY"));
    assertFalse(s.ready(), "the application waits for the real value");
    assertEquals(new BackendStatus(false, List.of("API_KEY")), hub.backends().get("store"));

    store.failing = null;
    store.put("/app", "{\"API_KEY\":\"k-1\"}");
    clock.advance(Duration.ofMinutes(10)); // past the denied secret's backoff
    r.roundAndNextDelay();
    assertEquals("k-1", value(hub.current(), "API_KEY"));
    assertTrue(hub.current().ready());
  }
}
