package io.baoinjector.sidecar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.sidecar.Sidecar;
import io.baoinjector.sidecar.auth.AuthException;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.source.AccessCheck;
import java.util.List;

/**
 * {@code check --online}: logs in, asks {@code sys/capabilities-self} whether the token can read
 * every mapped path (reading nothing), and prints OpenBao's health. Exit 0 when every path is
 * readable, 1 otherwise. Never revokes the token.
 */
final class OnlineCheck {
  private final CommandContext ctx;
  private final SidecarConfig config;

  OnlineCheck(CommandContext ctx, SidecarConfig config) {
    this.ctx = ctx;
    this.config = config;
  }

  int call() {
    try (Sidecar s = new Sidecar(config)) {
      try {
        JsonNode h = s.client().health();
        ctx.out()
            .printf(
                "OpenBao %s: version %s, sealed %s, standby %s%n",
                s.client().currentAddress(),
                h.path("version").asText("?"),
                h.path("sealed").asBoolean(),
                h.path("standby").asBoolean());
      } catch (OpenBaoException e) {
        ctx.err().println("bao-injector: OpenBao unreachable: " + e.getMessage());
        return 1;
      }
      try {
        s.login();
      } catch (AuthException | OpenBaoException e) {
        ctx.err().println("bao-injector: login failed: " + e.getMessage());
        return 1;
      }
      s.tokens()
          .current()
          .ifPresent(t -> ctx.out().printf("login ok: %s, policies %s%n", t, t.policies()));
      List<AccessCheck.Result> results;
      try {
        results = AccessCheck.run(config, s.client(), s.tokens());
      } catch (OpenBaoException e) {
        ctx.err().println("bao-injector: cannot check capabilities: " + e.getMessage());
        return 1;
      }
      int denied = 0;
      for (AccessCheck.Result r : results) {
        if (!r.readable()) {
          denied++;
          ctx.out()
              .printf(
                  "DENIED  %s: the token may not read %s (grant \"read\" on it in the policy)%n",
                  r.path(), r.apiPath());
        } else if (!r.metadataReadable()) {
          ctx.out()
              .printf(
                  "ok      %s (no read on its metadata: versions are not checked, the data is"
                      + " re-read every refresh)%n",
                  r.path());
        } else {
          ctx.out().printf("ok      %s%n", r.path());
        }
      }
      if (denied > 0) {
        ctx.err().println("bao-injector: the token cannot read " + denied + " path(s)");
        return 1;
      }
      ctx.out().println("every mapped path is readable");
      return 0;
    }
  }
}
