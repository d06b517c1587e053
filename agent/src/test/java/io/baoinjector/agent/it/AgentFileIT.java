package io.baoinjector.agent.it;

import static io.baoinjector.agent.it.Jvms.AGENT_JAR;
import static io.baoinjector.agent.it.Jvms.agentArg;
import static io.baoinjector.agent.it.Jvms.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent reading the sidecar's rendered dotenv and properties files. */
@Timeout(300)
class AgentFileIT {
  @TempDir Path dir;

  /** Writes like the sidecar: temp file in the same directory, then an atomic rename. */
  static void write(Path file, String content) throws Exception {
    Path tmp = Files.createTempFile(file.getParent(), ".tmp", "");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }

  static String dotenv(Map<String, String> values) {
    StringBuilder sb = new StringBuilder();
    values.forEach(
        (k, v) -> sb.append(k).append("='").append(v.replace("'", "'\\''")).append("'\n"));
    return sb.toString();
  }

  @Test
  void dotenvAndPropertiesFilesAreReadAndWatched() throws Exception {
    Path env = dir.resolve("app.env");
    Path props = dir.resolve("app.properties");
    String tricky = "it's a \"multi\nline\" canary-F1 $HOME `x` \\ é";
    write(env, dotenv(Map.of("DB_PASSWORD", tricky, "DB_USER", "u1")));
    write(props, "spring.datasource.password=canary-P1\\u00e9\n");
    try (AppJvm app =
        app(
            Jvms.JDK17,
            List.of(agentArg(AGENT_JAR, "file=" + env + ",properties-file=" + props)),
            Map.of())) {
      app.awaitReady();
      assertEquals(tricky.replace("\n", "\\n"), app.ask("get DB_PASSWORD"));
      assertEquals(tricky.replace("\n", "\\n"), app.ask("child DB_PASSWORD"));
      assertEquals("canary-P1é", app.ask("prop spring.datasource.password"));
      assertEquals("true", app.ask("same"));

      write(env, dotenv(Map.of("DB_PASSWORD", "canary-F2", "ADDED", "a")));
      app.await("get DB_PASSWORD", "canary-F2");
      assertEquals("null", app.ask("get DB_USER"));
      assertEquals("[ADDED]", app.ask("keys ADD"));
      write(props, "spring.datasource.password=canary-P2\n");
      app.await("prop spring.datasource.password", "canary-P2");

      // a broken file keeps the last values and says which line, never what was on it
      write(env, "DB_PASSWORD='canary-F3'\nBROKEN=canary-unquoted\n");
      Await.until(
          Duration.ofSeconds(60),
          () -> "the agent never reported the broken line; stderr:\n" + app.stderr(),
          () -> app.stderr().contains("dotenv line 2"));
      assertEquals("canary-F2", app.ask("get DB_PASSWORD"));
      write(env, dotenv(Map.of("DB_PASSWORD", "canary-F4")));
      app.await("get DB_PASSWORD", "canary-F4");
      app.close();
      String stderr = app.stderr();
      assertTrue(
          stderr.contains(
              "bao-injector agent: lost the sidecar at "
                  + env
                  + " (dotenv line 2: unquoted characters in value (expected '...' segments)); keeping the last values,"
                  + " retrying"),
          stderr);
      assertFalse(stderr.contains("canary"), stderr);
    }
  }

  @Test
  void theFileComesFromBaoInjectorFileAndAMissingFileFailsTheStart() throws Exception {
    Path env = dir.resolve("from-env.env");
    write(env, dotenv(Map.of("DB_PASSWORD", "canary-E")));
    try (AppJvm app =
        app(
            Jvms.JDK17,
            List.of(agentArg(AGENT_JAR, "")),
            Map.of("BAO_INJECTOR_FILE", env.toString()))) {
      app.awaitReady();
      assertEquals("canary-E", app.ask("get DB_PASSWORD"));
    }
    Path missing = dir.resolve("missing.env");
    try (AppJvm app =
        app(
            Jvms.JDK17,
            List.of(agentArg(AGENT_JAR, "file=" + missing + ",wait=300ms")),
            Map.of())) {
      assertEquals(1, app.waitFor());
      assertEquals(
          "bao-injector agent: sidecar not reachable at " + missing + " after 300ms\n",
          app.stderr());
    }
  }
}
