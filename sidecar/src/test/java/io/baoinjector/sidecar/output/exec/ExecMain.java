package io.baoinjector.sidecar.output.exec;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.output.OnChange;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import java.nio.file.Files;
import java.nio.file.Path;
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
    SnapshotHub hub = new SnapshotHub();
    Snapshot s = hub.publish(entry("one"), Map.of(), Set.of(), false, true);
    // With EXEC_MAIN_RESTART_ON=FILE: restart on change, and V changes once FILE appears.
    String trigger = System.getenv("EXEC_MAIN_RESTART_ON");
    OnChange policy = trigger == null ? OnChange.NONE : OnChange.RESTART;
    ExecRunner runner =
        new ExecRunner(command, Set.of(), policy, Duration.ofSeconds(10), ExecRunner.Options.NONE);
    if (trigger != null) {
      hub.addListener(runner);
      Thread t =
          new Thread(
              () -> {
                try {
                  while (!Files.exists(Path.of(trigger))) {
                    Thread.sleep(20); // polls for the test's file
                  }
                  hub.publish(entry("two"), Map.of(), Set.of(), false, true);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "exec-main-trigger");
      t.setDaemon(true);
      t.start();
    }
    int code = runner.run(s);
    System.exit(code);
  }

  static Map<String, Snapshot.Entry> entry(String v) {
    return Map.of("V", new Snapshot.Entry(SecretValue.of(v), 1, "secret/x#v", Instant.now()));
  }
}
