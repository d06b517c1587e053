package io.baoinjector.sidecar;

import io.baoinjector.sidecar.output.Output;
import io.baoinjector.sidecar.snapshot.Snapshot;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** The one line {@code run} prints when it is ready (or still starting after 10s); names only. */
final class RunSummary {
  private RunSummary() {}

  /**
   * Prints the summary once every name resolved and every file is rendered; if that takes longer
   * than 10s, prints a "starting" summary first (what is unresolved, whether OpenBao answers), so a
   * stuck startup explains itself. Returns early on a stop signal.
   */
  static void announceWhenReady(Pipeline s, CountDownLatch stop, PrintStream err)
      throws InterruptedException {
    long since = System.nanoTime();
    boolean announcedStarting = false;
    while (!stop.await(100, TimeUnit.MILLISECONDS)) {
      Snapshot now = s.hub.current();
      if (now.ready() && s.filesReady()) {
        err.println(summary(s, now));
        err.flush();
        return;
      }
      if (!announcedStarting && System.nanoTime() - since > TimeUnit.SECONDS.toNanos(10)) {
        err.println(summary(s, now));
        err.flush();
        announcedStarting = true;
      }
    }
  }

  private static String summary(Pipeline s, Snapshot snap) {
    StringBuilder b = new StringBuilder("bao-injector: ");
    b.append(
        snap.ready()
            ? "ready"
            : "starting (not every name resolved or file rendered yet; /v1/health says 503)");
    b.append("; OpenBao ").append(s.client.currentAddress());
    b.append(", auth ").append(s.auth.describe());
    b.append("; ").append(snap.values().size()).append(" variable(s)");
    if (!snap.values().isEmpty()) {
      b.append(" [").append(String.join(", ", snap.values().keySet())).append(']');
    }
    if (!snap.properties().isEmpty()) {
      b.append(", ")
          .append(snap.properties().size())
          .append(" propert")
          .append(snap.properties().size() == 1 ? "y" : "ies")
          .append(" [")
          .append(String.join(", ", snap.properties().keySet()))
          .append(']');
    }
    if (!snap.unresolved().isEmpty()) {
      b.append("; unresolved [").append(String.join(", ", snap.unresolved())).append(']');
    }
    String spare =
        java.util.stream.Stream.concat(
                snap.values().entrySet().stream(), snap.properties().entrySet().stream())
            .filter(e -> e.getValue().source().startsWith("fallback:"))
            .map(java.util.Map.Entry::getKey)
            .collect(Collectors.joining(", "));
    if (!spare.isEmpty()) {
      b.append("; from the fallback file [").append(spare).append(']');
    }
    if (s.refresher.outage().isPresent() || (snap.stale() && spare.isEmpty())) {
      b.append("; OpenBao unreachable, retrying");
    }
    if (!s.hub.backends().isEmpty()) {
      b.append("; backends ");
      b.append(
          s.hub.backends().entrySet().stream()
              .map(e -> e.getKey() + (e.getValue().stale() ? " (unreachable, retrying)" : ""))
              .collect(Collectors.joining(", ")));
    }
    b.append("; outputs: ");
    b.append(
        s.outputs().isEmpty()
            ? "none"
            : s.outputs().stream().map(Output::describe).collect(Collectors.joining(", ")));
    b.append("; revision ").append(snap.revision()).append(", instance ").append(snap.instanceId());
    return b.toString();
  }
}
