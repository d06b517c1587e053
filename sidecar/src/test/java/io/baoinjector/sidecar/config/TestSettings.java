package io.baoinjector.sidecar.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The settings records as tests build them in code: the one place outside a record that calls its
 * constructor by position, so a new key changes its record, its doc line, this class and its test.
 */
public final class TestSettings {
  private TestSettings() {}

  public static OpenBaoSettings openbao(URI... addresses) {
    return openbao(List.of(addresses), "", null, false);
  }

  public static OpenBaoSettings openbao(
      List<URI> addresses, String namespace, Path caCert, boolean tlsSkipVerify) {
    return new OpenBaoSettings(addresses, namespace, caCert, tlsSkipVerify);
  }

  public static RefreshSettings refresh(Duration interval) {
    return new RefreshSettings(interval);
  }

  public static LeaseSettings leases(Duration overlap, boolean revokeReplaced) {
    return new LeaseSettings(overlap, revokeReplaced);
  }

  public static CacheSettings cache(Path path, Path keyFile, boolean allowDisk) {
    return new CacheSettings(path, keyFile, allowDisk);
  }
}
