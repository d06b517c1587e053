package io.baoinjector.sidecar.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.openbao.Mount;
import io.baoinjector.sidecar.openbao.NotFoundException;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KV v2 secret. Each round costs one metadata read ({@code current_version}); the data is read
 * only when the version moved. A pinned version is read once: versions are immutable. A policy that
 * denies {@code metadata/} falls back to reading the data every round (warned once).
 */
final class KvV2Source implements SecretSource {
  private static final Logger log = LoggerFactory.getLogger(KvV2Source.class);

  private final String path;
  private final Mount mount;
  private final int pin;
  private final Reader reader;
  private volatile SecretData last;
  private volatile boolean metadataDenied;
  private volatile boolean forceRead;
  private int behind; // rounds in a row that answered an older version (one refresh thread)
  private Instant behindSince; // when the first of those rounds ran

  /** Rounds in a row an older version is ignored before it is believed. */
  static final int LAGGING_ROUNDS = 3;

  /**
   * How long an older version must persist, besides {@link #LAGGING_ROUNDS}, before it is believed:
   * a restarted Raft node can take longer than three 1 s rounds to catch up.
   */
  static final Duration LAGGING_WINDOW = Duration.ofSeconds(60);

  KvV2Source(String path, Mount mount, int pin, Reader reader) {
    this.path = path;
    this.mount = mount;
    this.pin = pin;
    this.reader = reader;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public SecretData last() {
    return last;
  }

  /** True once a policy denied {@code metadata/} and this source re-reads data every round. */
  boolean metadataDenied() {
    return metadataDenied;
  }

  @Override
  public SecretData refresh(Instant now) {
    SecretData prev = last;
    if (prev != null && pin > 0) {
      return prev;
    }
    boolean versionChecked = prev != null && !metadataDenied && !forceRead;
    if (versionChecked) {
      Integer current = currentVersion(now);
      if (current != null && current.equals(prev.version())) {
        behind = 0;
        return prev;
      }
      if (current != null && current > 0 && lagging(prev, current, now)) {
        return prev;
      }
    }
    SecretData d = readData();
    // the data names its version too: checked here when the metadata was not asked
    if (!versionChecked && prev != null && d.version() != null && lagging(prev, d.version(), now)) {
      return prev; // forceRead stays: the next round reads the data again
    }
    last = d;
    forceRead = false;
    return d;
  }

  /**
   * An answer older than the version already served. OpenBao's standbys serve reads by default
   * (eventually consistent): right after a failover, the node answering may not have applied the
   * newest writes yet, and serving its answer would move the application's value backwards (seen in
   * the Raft fault scenario). Such an answer is ignored for {@link #LAGGING_ROUNDS} rounds in a row
   * and {@link #LAGGING_WINDOW}; one that persists longer is taken (a server restored from an older
   * snapshot, warned).
   */
  private boolean lagging(SecretData prev, int version, Instant now) {
    if (prev.version() == null || version >= prev.version()) {
      behind = 0;
      return false;
    }
    if (behind++ == 0) {
      behindSince = now;
    }
    if (behind < LAGGING_ROUNDS || now.isBefore(behindSince.plus(LAGGING_WINDOW))) {
      if (behind == 1) {
        log.info(
            "{}: OpenBao answered version {}, older than the version {} already served (a node"
                + " not yet caught up?); keeping it and asking again",
            path,
            version,
            prev.version());
      }
      return true;
    }
    log.warn(
        "{}: OpenBao still answers version {} after {} rounds in {} s, older than {}; taking it"
            + " (was the server restored from an older snapshot?)",
        path,
        version,
        behind,
        Duration.between(behindSince, now).toSeconds(),
        prev.version());
    behind = 0;
    return false;
  }

  @Override
  public void invalidate() {
    forceRead = true;
  }

  private Integer currentVersion(Instant now) {
    try {
      JsonNode md = reader.get(mount.path() + "metadata/" + mount.relative(path)).path("data");
      int v = md.path("current_version").asInt(0);
      if (v > 0 && gone(md.path("versions").path(Integer.toString(v)), now)) {
        return -1; // the current version was deleted or destroyed: read it to learn which
      }
      return v > 0 ? v : null;
    } catch (NotFoundException e) {
      return -1; // metadata gone: the secret was destroyed; differs from any version we hold
    } catch (PermissionDeniedException e) {
      metadataDenied = true;
      log.warn(
          "{}: the token may not read {}metadata/{}; re-reading the data every round instead"
              + " (grant read on the metadata path to check versions only)",
          path,
          mount.path(),
          mount.relative(path));
      return null;
    }
  }

  /** A version's metadata says it is destroyed, or deleted (a deletion time already passed). */
  private static boolean gone(JsonNode version, Instant now) {
    if (version.path("destroyed").asBoolean(false)) {
      return true;
    }
    String at = version.path("deletion_time").asText("");
    try {
      // delete_version_after sets a deletion time in the future at write time
      return !at.isEmpty() && !Instant.parse(at).isAfter(now);
    } catch (java.time.format.DateTimeParseException e) {
      return true;
    }
  }

  private SecretData readData() {
    String api = mount.path() + "data/" + mount.relative(path) + (pin > 0 ? "?version=" + pin : "");
    try {
      JsonNode d = reader.get(api).path("data");
      JsonNode data = d.path("data");
      JsonNode v = d.path("metadata").path("version");
      Integer version = v.isNumber() ? v.asInt() : null;
      if (!data.isObject()) {
        return SecretData.absentVersion(d.path("metadata")); // servers that answer 200
      }
      return SecretData.of(data, version);
    } catch (NotFoundException e) {
      // A deleted or destroyed version is a 404 that carries the version's metadata.
      JsonNode body = e.body();
      return SecretData.absentVersion(body == null ? null : body.path("data").path("metadata"));
    }
  }
}
