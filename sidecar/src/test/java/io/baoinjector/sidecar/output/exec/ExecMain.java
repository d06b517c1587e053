package io.baoinjector.sidecar.output.exec;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A stand-in for {@code bao-injector exec}, run in a forked JVM so real signals can reach it. */
public final class ExecMain {
  private ExecMain() {}

  public static void main(String[] args) throws Exception {
    Snapshot s =
        new SnapshotHub()
            .publish(
                Map.of(
                    "V", new Snapshot.Entry(SecretValue.of("one"), 1, "secret/x#v", Instant.now())),
                Map.of(),
                Set.of(),
                false,
                true);
    int code =
        new ExecRunner(List.of(args), Set.of(), OnChangePolicy.NONE, Duration.ofSeconds(10)).run(s);
    System.exit(code);
  }
}
