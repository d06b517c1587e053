package io.baoinjector.sidecar.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.config.ConfigLoader;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.config.TestSettings;
import io.baoinjector.sidecar.snapshot.LeaseStatus;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.sidecar.source.CachedValues;
import io.baoinjector.testkit.TmpfsDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The cache file: what it holds, that it is written when values change, and every refusal. */
@Timeout(60)
class LastKnownGoodTest {
  static final String TOKEN = "s.CANARY-token-4f1d9";
  static final String DB = "canary-db-password-81c2";
  static final String PG = "canary-pg-password-33ad";
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  static final String TAMPERED =
      "failed its integrity check (altered, truncated, or written with another key)";

  @TempDir Path disk;
  TmpfsDir tmpfs;
  Path key;

  @BeforeEach
  void setUp() throws IOException {
    tmpfs = new TmpfsDir();
    key = disk.resolve("keys/cache-key");
    Files.createDirectories(key.getParent());
    Files.write(key, bytes(32, 7));
    Files.writeString(disk.resolve("token"), TOKEN);
  }

  @AfterEach
  void tearDown() {
    tmpfs.close();
  }

  static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed * 31 + i * 17);
    }
    return b;
  }

  Path cacheFile() {
    return tmpfs.resolve("values");
  }

  SidecarConfig config(String extraSecret) {
    String yaml =
        """
        openbao:
          address: http://127.0.0.1:8200
        auth:
          method: token
          token-file: %s
        secrets:
          DB_PASSWORD: secret/app/db#password
          PG_PASSWORD: database/creds/app#password
          %s
        properties:
          spring.datasource.password: secret/app/db#password
        cache:
          path: %s
          key-file: %s
        """
            .formatted(disk.resolve("token"), extraSecret, cacheFile(), key);
    return ConfigLoader.load(yaml, disk.resolve("sidecar.yaml"), Map.of());
  }

  SidecarConfig config() {
    return config("");
  }

  LastKnownGood open(SidecarConfig c, SnapshotHub hub, Instant now) throws IOException {
    return LastKnownGood.open(c.cache(), c, hub, Clock.fixed(now, ZoneOffset.UTC));
  }

  /**
   * Publishes one ready snapshot (PG_PASSWORD leased until NOW + 1h) through a cache; closes it.
   */
  SnapshotHub writeCache(SidecarConfig c) throws IOException {
    SnapshotHub hub = new SnapshotHub("test", Clock.fixed(NOW, ZoneOffset.UTC));
    try (LastKnownGood cache = open(c, hub, NOW)) {
      hub.addListener(cache);
      publish(hub, DB, PG);
    }
    return hub;
  }

  static void publish(SnapshotHub hub, String db, String pg) {
    hub.leases(
        List.of(
            new LeaseStatus("database/creds/app", NOW.plus(Duration.ofHours(1)), null, false),
            new LeaseStatus("database/creds/app", NOW.plus(Duration.ofMinutes(1)), null, true)));
    Snapshot.Entry d =
        new Snapshot.Entry(SecretValue.of(db), 4, "secret/app/db#password", NOW.minusSeconds(5));
    hub.publish(
        Map.of(
            "DB_PASSWORD",
            d,
            "PG_PASSWORD",
            new Snapshot.Entry(SecretValue.of(pg), null, "database/creds/app#password", NOW)),
        Map.of("spring.datasource.password", d),
        Set.of(),
        false,
        true);
  }

  CachedValues load(SidecarConfig c, Instant at) throws IOException {
    try (LastKnownGood cache = open(c, new SnapshotHub(), at)) {
      return cache.load().orElse(null);
    }
  }

  String refusal(SidecarConfig c, Instant at) throws IOException {
    try (LastKnownGood cache = open(c, new SnapshotHub(), at)) {
      assertTrue(cache.load().isEmpty(), "refused, nothing served");
      return cache.refusal();
    }
  }

  @Test
  void writesEveryNameAndReadsItBack() throws IOException {
    SidecarConfig c = config();
    writeCache(c);
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheFile())),
        "mode 0600");
    CachedValues v = load(c, NOW.plusSeconds(60));
    assertEquals(DB, v.values().get("DB_PASSWORD").entry().value().reveal());
    assertEquals(4, v.values().get("DB_PASSWORD").entry().version());
    assertEquals("secret/app/db#password", v.values().get("DB_PASSWORD").entry().source());
    assertEquals(NOW.minusSeconds(5), v.values().get("DB_PASSWORD").entry().fetchedAt());
    assertNull(v.values().get("DB_PASSWORD").leaseExpiry(), "a KV value has no lease");
    assertEquals(PG, v.values().get("PG_PASSWORD").entry().value().reveal());
    assertEquals(
        NOW.plus(Duration.ofHours(1)),
        v.values().get("PG_PASSWORD").leaseExpiry(),
        "the served lease's expiry, not the replaced one's");
    assertEquals(DB, v.properties().get("spring.datasource.password").entry().value().reveal());
    assertEquals(NOW, v.writtenAt());
  }

  @Test
  void theFileHoldsNoValueInTheClearAndNeverTheToken() throws Exception {
    SidecarConfig c = config();
    writeCache(c);
    byte[] file = Files.readAllBytes(cacheFile());
    String raw = new String(file, StandardCharsets.ISO_8859_1);
    for (String canary : List.of(DB, PG, "canary", TOKEN)) {
      assertFalse(raw.contains(canary), "in the clear: " + canary);
    }
    CacheFormat f = new CacheFormat(CacheKey.read(key), ConfigIdentity.of(c));
    String plain = new String(f.decrypt(file), StandardCharsets.UTF_8);
    assertTrue(plain.contains(DB) && plain.contains(PG), "the test reads the real plaintext");
    assertFalse(plain.contains(TOKEN), "the token is never cached");
    assertFalse(plain.contains(disk.resolve("token").toString()), "nor where it is kept");
  }

  @Test
  void rewritesOnlyWhenAValueOrALeaseChanges() throws IOException {
    SidecarConfig c = config();
    SnapshotHub hub = writeCache(c);
    byte[] first = Files.readAllBytes(cacheFile());
    try (LastKnownGood cache = open(c, hub, NOW)) {
      cache.load().orElseThrow();
      hub.addListener(cache);
      publish(hub, DB, PG); // same values: a new nonce would change every byte if written
      assertArrayEquals(first, Files.readAllBytes(cacheFile()));
      hub.publish(Map.of(), Map.of(), Set.of(), true, true); // stale: never written
      hub.publish(Map.of(), Map.of(), Set.of(), false, false); // not ready: never written
      publish(hub, DB + "-rotated", PG);
    }
    assertFalse(Arrays.equals(first, Files.readAllBytes(cacheFile())));
    assertEquals(
        DB + "-rotated", load(c, NOW).values().get("DB_PASSWORD").entry().value().reveal());
  }

  @Test
  void anEnvFromKeyTheGrammarWouldRefuseIsCachedToo() throws Exception {
    SidecarConfig c = config();
    SnapshotHub hub = new SnapshotHub("test", Clock.fixed(NOW, ZoneOffset.UTC));
    try (LastKnownGood cache = open(c, hub, NOW)) {
      hub.addListener(cache);
      Snapshot.Entry odd =
          new Snapshot.Entry(SecretValue.of(DB), 2, "secret/app/prod#we#ird@x", NOW);
      hub.publish(Map.of("WEIRD", odd), Map.of(), Set.of(), false, true);
    }
    assertEquals(
        "secret/app/prod#we#ird@x",
        new CacheFormat(CacheKey.read(key), ConfigIdentity.of(c))
            .open(Files.readAllBytes(cacheFile()), "test")
            .values()
            .get("WEIRD")
            .entry()
            .source());
  }

  @Test
  void anAlteredByteAnywhereIsRefused() throws IOException {
    SidecarConfig c = config();
    writeCache(c);
    byte[] good = Files.readAllBytes(cacheFile());
    // magic, version, fingerprint, nonce, ciphertext, tag
    for (int at : new int[] {0, 8, 9, 40, 41, 52, 53, good.length / 2, good.length - 1}) {
      byte[] bad = good.clone();
      bad[at] ^= 0x01;
      Files.write(cacheFile(), bad);
      String why = refusal(c, NOW);
      assertTrue(why != null && !why.isEmpty(), "byte " + at);
      assertFalse(why.contains(DB), "no value in the message");
    }
    Files.write(cacheFile(), bytesWithFlip(good, good.length - 20));
    assertEquals(TAMPERED, refusal(c, NOW));
  }

  static byte[] bytesWithFlip(byte[] b, int at) {
    byte[] c = b.clone();
    c[at] ^= (byte) 0x80;
    return c;
  }

  @Test
  void aTruncatedFileIsRefused() throws IOException {
    SidecarConfig c = config();
    writeCache(c);
    byte[] good = Files.readAllBytes(cacheFile());
    for (int len : new int[] {0, 5, 41, 60, good.length - 1}) {
      Files.write(cacheFile(), Arrays.copyOf(good, len));
      assertTrue(refusal(c, NOW) != null, "length " + len);
    }
    Files.write(cacheFile(), Arrays.copyOf(good, good.length - 1));
    assertEquals(TAMPERED, refusal(c, NOW));
    Files.write(cacheFile(), Arrays.copyOf(good, 20));
    assertEquals("is not a bao-injector cache, or is truncated", refusal(c, NOW));
  }

  @Test
  void aCacheWrittenWithAnotherKeyIsRefused() throws IOException {
    SidecarConfig c = config();
    writeCache(c);
    Files.write(key, bytes(32, 8));
    assertEquals(TAMPERED, refusal(c, NOW));
  }

  @Test
  void aCacheWrittenForOtherNamesIsRefused() throws IOException {
    writeCache(config());
    assertEquals(
        "was written for other names or references than this config maps",
        refusal(config("API_KEY: secret/app/api#key"), NOW));
  }

  @Test
  void aCacheHoldingALeasePastItsExpiryIsNotServed() throws IOException {
    SidecarConfig c = config();
    writeCache(c);
    assertEquals(
        PG,
        load(c, NOW.plus(Duration.ofMinutes(59)))
            .values()
            .get("PG_PASSWORD")
            .entry()
            .value()
            .reveal());
    assertEquals(
        "holds 1 name(s) past their lease expiry", refusal(c, NOW.plus(Duration.ofHours(1))));
  }

  @Test
  void aPlantedSymlinkIsRefused() throws IOException {
    SidecarConfig c = config();
    writeCache(c);
    Path real = tmpfs.resolve("elsewhere");
    Files.move(cacheFile(), real);
    Files.createSymbolicLink(cacheFile(), real);
    assertEquals("cannot be read (not a regular file)", refusal(c, NOW));
  }

  @Test
  void noCacheYetIsNoRefusal() throws IOException {
    try (LastKnownGood cache = open(config(), new SnapshotHub(), NOW)) {
      assertTrue(cache.load().isEmpty());
      assertNull(cache.refusal());
    }
  }

  @Test
  void aCacheNotOnTmpfsIsRefusedUnlessAllowed() throws IOException {
    SidecarConfig c = config();
    Path onDisk = disk.resolve("cache/values");
    Files.createDirectories(onDisk.getParent());
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                LastKnownGood.open(
                    TestSettings.cache(onDisk, key, false),
                    c,
                    new SnapshotHub(),
                    Clock.systemUTC()));
    String fs = Files.getFileStore(onDisk.getParent()).type();
    assertEquals(
        "cache.path: "
            + onDisk.getParent().toRealPath()
            + " is on "
            + fs
            + ", not tmpfs, so secrets would reach the disk; mount a tmpfs there or set"
            + " cache.allow-disk: true",
        e.getMessage());
    LastKnownGood.open(
            TestSettings.cache(onDisk, key, true), c, new SnapshotHub(), Clock.systemUTC())
        .close();
  }

  @Test
  void aKeyOfTheWrongLengthIsOneLine() throws IOException {
    SidecarConfig c = config();
    Files.write(key, bytes(16, 1));
    IOException e = assertThrows(IOException.class, () -> open(c, new SnapshotHub(), NOW));
    assertEquals(
        "cache.key-file: "
            + key
            + " holds 16 bytes; it needs exactly 32 random bytes (head -c 32 /dev/urandom > key)"
            + " or 64 hex digits",
        e.getMessage());
    Files.delete(key);
    e = assertThrows(IOException.class, () -> open(c, new SnapshotHub(), NOW));
    assertEquals(
        "cache.key-file: file not found: "
            + key
            + "; make one with head -c 32 /dev/urandom > key (e.g. in a Kubernetes Secret)",
        e.getMessage());
  }

  @Test
  void aHexKeyWorksLikeItsBytes() throws IOException {
    SidecarConfig c = config();
    writeCache(c);
    Files.writeString(key, java.util.HexFormat.of().formatHex(bytes(32, 7)) + "\n");
    assertEquals(DB, load(c, NOW).values().get("DB_PASSWORD").entry().value().reveal());
  }
}
