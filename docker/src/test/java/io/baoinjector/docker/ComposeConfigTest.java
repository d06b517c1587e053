package io.baoinjector.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docker Compose's own validation of compose.yaml ({@code config} needs no engine). The tool comes
 * from docker/ensure-compose.sh; when it cannot be had the test fails with that script's message.
 */
@Timeout(600)
class ComposeConfigTest {
  @TempDir Path tmp;

  private static List<String> compose() {
    return new ArrayList<>(Arrays.asList(Proc.ensure("docker/ensure-compose.sh").split("\\s+")));
  }

  private static Proc.Result config(Path file) {
    List<String> cmd = compose();
    cmd.addAll(List.of("-f", file.toString(), "config"));
    // No engine is contacted by `config`; DOCKER_HOST points nowhere to prove it.
    return Proc.run(
        cmd, Map.of("DOCKER_HOST", "unix:///nonexistent.sock"), file.getParent(), false);
  }

  @Test
  void composeAcceptsTheFileAndResolvesIt() {
    Proc.Result r = config(Repo.docker("compose.yaml"));
    assertEquals(0, r.exit(), r.output());
    JsonNode resolved = Repo.yaml(r.output().substring(r.output().indexOf("services:")));
    assertEquals(
        "service_healthy", resolved.at("/services/app/depends_on/sidecar/condition").asText());
    assertEquals("tmpfs", resolved.at("/volumes/bao-files/driver_opts/type").asText());
    // Relative paths resolve against docker/: the build context is the repository root.
    assertEquals(
        Repo.root().toString(),
        Path.of(resolved.at("/services/sidecar/build/context").asText()).normalize().toString());
  }

  @Test
  void composeRejectsABrokenCopy() throws IOException {
    // Control: the same check fails on a reference to an undeclared volume, so a pass means
    // something.
    String broken =
        Files.readString(Repo.docker("compose.yaml"))
            .replace("- bao-files:/run/secrets:ro", "- undeclared-volume:/run/secrets:ro");
    assertNotEquals(Files.readString(Repo.docker("compose.yaml")), broken);
    Path copy = tmp.resolve("compose.yaml");
    Files.writeString(copy, broken);
    Files.copy(Repo.docker("openbao-setup.sh"), tmp.resolve("openbao-setup.sh"));
    Files.copy(Repo.docker("sidecar.compose.yaml"), tmp.resolve("sidecar.compose.yaml"));
    Proc.Result r = config(copy);
    assertNotEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("undeclared-volume"), r.output());
  }
}
