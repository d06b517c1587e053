package io.baoinjector.sidecar;

import io.baoinjector.sidecar.metrics.Metrics;
import io.baoinjector.sidecar.source.RefreshObserver;
import io.baoinjector.sidecar.token.TokenObserver;

/** The observers through which the token lifecycle and the refresher feed the metrics. */
final class MetricsObservers {
  private MetricsObservers() {}

  static TokenObserver tokens(Metrics metrics, String method) {
    return new TokenObserver() {
      @Override
      public void onLogin(io.baoinjector.sidecar.auth.Token token) {
        metrics.login(method, true);
      }

      @Override
      public void onLoginFailure(Exception e) {
        metrics.login(method, false);
      }

      @Override
      public void onRenewal(io.baoinjector.sidecar.auth.Token token) {
        metrics.renewal("token", true);
      }

      @Override
      public void onRenewalFailure(Exception e) {
        metrics.renewal("token", false);
      }
    };
  }

  static RefreshObserver refresh(Metrics metrics) {
    return new RefreshObserver() {
      @Override
      public void round(boolean ok, boolean changed, java.time.Duration took) {
        metrics.refreshRound(ok);
      }

      @Override
      public void leaseRenewal(boolean ok) {
        metrics.renewal("lease", ok);
      }

      @Override
      public void backendRequest(String backend, String outcome) {
        metrics.backends().request(backend, outcome);
      }
    };
  }
}
