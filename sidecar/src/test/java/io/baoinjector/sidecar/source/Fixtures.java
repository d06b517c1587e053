package io.baoinjector.sidecar.source;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.backend.Backends;
import io.baoinjector.sidecar.config.OpenBaoSettings;
import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.config.TestSettings;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.sidecar.token.ForbiddenVerdict;
import io.baoinjector.sidecar.token.TokenProvider;
import io.baoinjector.testkit.OpenBao;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds configs, clients and credentials for source tests. */
final class Fixtures {
  private Fixtures() {}

  static SidecarConfig config(
      OpenBao bao,
      Map<String, String> secrets,
      List<SidecarConfig.EnvFrom> envFrom,
      Map<String, String> properties,
      Duration interval) {
    return config(settings(bao), secrets, envFrom, properties, interval);
  }

  static SidecarConfig config(
      OpenBaoSettings openbao,
      Map<String, String> secrets,
      List<SidecarConfig.EnvFrom> envFrom,
      Map<String, String> properties,
      Duration interval) {
    return new SidecarConfig(
        null,
        openbao,
        null,
        false,
        refs(secrets),
        envFrom,
        refs(properties),
        TestSettings.refresh(interval),
        OutputSettings.NONE);
  }

  static SidecarConfig config(OpenBao bao, Map<String, String> secrets) {
    return config(bao, secrets, List.of(), Map.of(), Duration.ofSeconds(30));
  }

  static Map<String, Reference> refs(Map<String, String> m) {
    Map<String, Reference> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, Reference.parse(v)));
    return out;
  }

  static SidecarConfig.EnvFrom envFrom(String path, String prefix, boolean sanitize) {
    return new SidecarConfig.EnvFrom(Reference.wholeSecret(path), prefix, sanitize);
  }

  static OpenBaoSettings settings(OpenBao bao) {
    return settings(URI.create(bao.address()));
  }

  static OpenBaoSettings settings(URI address) {
    return TestSettings.openbao(address);
  }

  /** A client that gives up fast, so outage rounds are quick in tests. */
  static OpenBaoClient client(OpenBao bao) {
    return OpenBaoClient.builder(settings(bao))
        .maxAttempts(2)
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** A refresher over {@code cfg} on real OpenBao with the root token. */
  static Refresher refresher(OpenBao bao, SidecarConfig cfg) {
    return refresher(bao, new SnapshotHub(), cfg);
  }

  static Refresher refresher(OpenBao bao, SnapshotHub hub, SidecarConfig cfg) {
    return refresher(bao, hub, cfg, new FixedToken(bao.rootToken()));
  }

  static Refresher refresher(OpenBao bao, SidecarConfig cfg, TokenProvider token) {
    return refresher(bao, new SnapshotHub(), cfg, token);
  }

  private static Refresher refresher(
      OpenBao bao, SnapshotHub hub, SidecarConfig cfg, TokenProvider token) {
    return new Refresher(
        cfg, client(bao), token, hub, Clock.systemUTC(), RefreshObserver.NOOP, Backends.none());
  }

  /**
   * A refresher over {@code cfg} with {@code backends}, one attempt per OpenBao call and a fixed
   * token: for configs whose OpenBao is nobody (a closed loopback port) or a real one.
   */
  static Refresher refresher(SidecarConfig cfg, SnapshotHub hub, Clock clock, Backends backends) {
    return new Refresher(
        cfg,
        OpenBaoClient.builder(cfg.openbao())
            .maxAttempts(1)
            .connectTimeout(Duration.ofSeconds(2))
            .build(),
        new FixedToken("t"),
        hub,
        clock,
        RefreshObserver.NOOP,
        backends);
  }

  /** A fixed token; a 403 is always the policy's. Counts the verdicts asked for. */
  static final class FixedToken implements TokenProvider {
    final String token;
    final AtomicInteger forbiddenAsks = new AtomicInteger();

    FixedToken(String token) {
      this.token = token;
    }

    @Override
    public SecretValue currentToken() {
      return SecretValue.of(token);
    }

    @Override
    public ForbiddenVerdict onForbidden(SecretValue tokenUsed) {
      forbiddenAsks.incrementAndGet();
      return ForbiddenVerdict.DENIED;
    }
  }
}
