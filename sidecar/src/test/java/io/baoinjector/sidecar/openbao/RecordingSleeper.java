package io.baoinjector.sidecar.openbao;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the delays the client asks for instead of sleeping. */
final class RecordingSleeper implements Sleeper {
  final List<Duration> delays = new CopyOnWriteArrayList<>();

  @Override
  public void sleep(Duration d) {
    delays.add(d);
  }
}
