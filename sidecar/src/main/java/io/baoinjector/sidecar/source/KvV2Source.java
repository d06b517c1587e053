package io.baoinjector.sidecar.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.openbao.NotFoundException;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
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

  @Override
  public Instant due() {
    return null;
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
    if (prev != null && !metadataDenied && !forceRead) {
      Integer current = currentVersion();
      if (current != null && current.equals(prev.version())) {
        return prev;
      }
    }
    SecretData d = readData();
    last = d;
    forceRead = false;
    return d;
  }

  @Override
  public void invalidate() {
    forceRead = true;
  }

  private Integer currentVersion() {
    try {
      JsonNode md = reader.get(mount.path() + "metadata/" + mount.relative(path)).path("data");
      int v = md.path("current_version").asInt(0);
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

  private SecretData readData() {
    String api = mount.path() + "data/" + mount.relative(path) + (pin > 0 ? "?version=" + pin : "");
    try {
      JsonNode d = reader.get(api).path("data");
      JsonNode data = d.path("data");
      Integer version =
          d.path("metadata").path("version").isNumber()
              ? d.path("metadata").path("version").asInt()
              : null;
      if (!data.isObject()) {
        return new SecretData(java.util.Map.of(), version, false); // deleted version
      }
      return new SecretData(SecretData.values(data), version, true);
    } catch (NotFoundException e) {
      return SecretData.ABSENT;
    }
  }
}
