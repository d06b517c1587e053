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

  /** {@code [exec --] CMD ARGS…}: the optional prefix lets bin/bao-injector see an exec. */
  public static void main(String[] args) throws Exception {
    List<String> command = List.of(args);
    if (command.size() > 2 && command.get(0).equals("exec") && command.get(1).equals("--")) {
      command = command.subList(2, command.size());
    }
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
        new ExecRunner(command, Set.of(), OnChangePolicy.NONE, Duration.ofSeconds(10)).run(s);
    System.exit(code);
  }
}
