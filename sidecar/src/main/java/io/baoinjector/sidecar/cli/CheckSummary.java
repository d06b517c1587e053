package io.baoinjector.sidecar.cli;

import io.baoinjector.sidecar.backend.Backends;
import io.baoinjector.sidecar.config.LeaseSettings;
import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.output.Modes;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * What {@code check} prints for a valid config: where, how, which names and which outputs. The
 * config holds references and paths only, so nothing printed here is a secret value.
 */
final class CheckSummary {
  private CheckSummary() {}

  static void print(SidecarConfig c, PrintStream out) {
    Backends.verifyInstalled(c); // run would fail at once without a block's jar
    out.println(c.source() + ": ok");
    List<String> addresses = c.openbao().addresses().stream().map(URI::toString).toList();
    List<String> tls = new ArrayList<>();
    if (!c.openbao().namespace().isEmpty()) {
      tls.add("namespace " + c.openbao().namespace());
    }
    if (c.openbao().caCert() != null) {
      tls.add("ca-cert " + c.openbao().caCert());
    }
    if (c.openbao().tlsSkipVerify()) {
      tls.add("tls-skip-verify");
    }
    out.println(
        "openbao:    "
            + String.join(", ", addresses)
            + (tls.isEmpty() ? "" : " (" + String.join(", ", tls) + ")"));
    out.println(
        "auth:       "
            + c.auth().method().configName()
            + " at auth/"
            + c.auth().mount()
            + (c.auth().role() == null ? "" : ", role " + c.auth().role()));
    out.println("secrets:    " + counted(c.secrets().keySet()));
    out.println(
        "env-from:   "
            + counted(c.envFrom().stream().map(e -> e.path().toString() + prefix(e)).toList()));
    out.println("properties: " + counted(c.properties().keySet()));
    if (!c.backends().isEmpty()) {
      out.println(
          "backends:   "
              + c.backends().entrySet().stream()
                  .map(e -> e.getKey() + " (" + e.getValue().type() + ")")
                  .collect(java.util.stream.Collectors.joining(", ")));
    }
    if (c.fallback() != null) {
      out.println("fallback:   " + c.fallback());
    }
    out.println("refresh:    every " + human(c.refresh().interval()));
    if (!c.leases().equals(LeaseSettings.DEFAULTS)) {
      out.println(
          "leases:     overlap "
              + human(c.leases().overlap())
              + (c.leases().revokeReplaced() ? ", replaced leases revoked" : ", left to expire"));
    }
    OutputSettings o = c.outputs();
    if (o.socket() == null && o.http() == null && o.files().isEmpty()) {
      out.println("outputs:    none (exec and env still work)");
    }
    if (o.socket() != null) {
      out.println(
          "socket:     "
              + o.socket().path()
              + " (mode "
              + Modes.octal(o.socket().mode())
              + (o.socket().allowUids().isEmpty()
                  ? ""
                  : ", allow-uids " + String.join(", ", o.socket().allowUids()))
              + ")");
    }
    if (o.http() != null) {
      out.println(
          "http:       " + o.http().address().getHostString() + ":" + o.http().address().getPort());
    }
    for (OutputSettings.FileSpec f : o.files()) {
      String what =
          switch (f.format()) {
            case RAW -> f.name();
            case TEMPLATE -> "template " + f.template();
            default -> f.names() == null ? "every name" : String.join(", ", f.names());
          };
      out.println(
          "file:       "
              + f.path()
              + " ("
              + f.format().name().toLowerCase(Locale.ROOT)
              + ", mode "
              + Modes.octal(f.mode())
              + ": "
              + what
              + ")");
    }
  }

  private static String prefix(SidecarConfig.EnvFrom e) {
    String p = e.prefix().isEmpty() ? "" : "prefix " + e.prefix();
    String s = e.sanitize() ? "sanitized" : "";
    String both = String.join(", ", List.of(p, s).stream().filter(x -> !x.isEmpty()).toList());
    return both.isEmpty() ? "" : " (" + both + ")";
  }

  private static String counted(Collection<String> items) {
    return items.isEmpty() ? "none" : items.size() + ": " + String.join(", ", items);
  }

  private static String human(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 != 0) {
      return ms + "ms";
    }
    long s = ms / 1000;
    StringBuilder b = new StringBuilder();
    if (s >= 3600) {
      b.append(s / 3600).append('h');
      s %= 3600;
    }
    if (s >= 60) {
      b.append(s / 60).append('m');
      s %= 60;
    }
    if (s > 0 || b.length() == 0) {
      b.append(s).append('s');
    }
    return b.toString();
  }
}
