package io.baoinjector.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnsureScriptsTest {
  /**
   * A tool already named in the environment is printed without touching the cache dir, so no HOME
   * is needed then (an {@code env -i} or a bare service environment has none).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "docker/ensure-compose.sh, COMPOSE_CMD, stand-in compose",
    "docker/ensure-busybox.sh, BUSYBOX_STATIC, /bin/true"
  })
  void aToolNamedInTheEnvironmentNeedsNoHome(String script, String variable, String tool) {
    Proc.Result r =
        Proc.run(
            List.of("bash", Repo.root().resolve(script).toString()),
            Map.of("PATH", "/usr/bin:/bin", variable, tool),
            null,
            true);
    assertEquals(new Proc.Result(0, tool + "\n"), r);
  }
}
