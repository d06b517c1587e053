package io.baoinjector.sidecar.cache;

import io.baoinjector.sidecar.config.SidecarConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.TreeMap;

/**
 * What a cache is valid for: the names the config maps and the references behind them. A cache
 * written under another mapping must not be served (a name now mapped to another path would get the
 * old path's value), so this SHA-256 is part of the cache's authenticated header. Addresses, auth
 * and outputs do not count: changing them leaves the values what they were.
 */
final class ConfigIdentity {
  private ConfigIdentity() {}

  static byte[] of(SidecarConfig c) {
    StringBuilder b = new StringBuilder("bao-injector cache identity 1\n");
    new TreeMap<>(c.secrets())
        .forEach((k, r) -> b.append("secret ").append(k).append('=').append(r).append('\n'));
    // env-from order matters: a later entry wins a collision
    c.envFrom()
        .forEach(
            e ->
                b.append("env-from ")
                    .append(e.path())
                    .append('|')
                    .append(e.prefix())
                    .append('|')
                    .append(e.sanitize())
                    .append('\n'));
    new TreeMap<>(c.properties())
        .forEach((k, r) -> b.append("property ").append(k).append('=').append(r).append('\n'));
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(b.toString().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
