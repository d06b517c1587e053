package example.springcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.BaoBinary;
import io.baoinjector.testkit.ChildProcess;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged app ({@code target/spring-cloud-app.jar}, unmodified, with spring-cloud-context),
 * the real sidecar and the agent against a real OpenBao: a rotation of {@code APP_GREETING}
 * refreshes the {@code @RefreshScope} and the {@code @ConfigurationProperties} bean, through
 * exactly one {@code ContextRefresher.refresh()} per revision; {@code spring-refresh=false} leaves
 * both beans alone; and a Spring Boot app without spring-cloud-context gets one line saying so.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(180)
class SpringCloudAppIT {
  static final Path ROOT = BaoBinary.repoRoot();
  static final Path APP_JAR = ROOT.resolve("examples/spring-cloud-app/target/spring-cloud-app.jar");
  static final Path AGENT_JAR = ROOT.resolve("agent/target/bao-injector-agent.jar");
  static final String README_SOCKET = "/dev/shm/bao-injector/agent.sock";
  static final Duration STARTUP = Duration.ofSeconds(90);
  static final Duration ROTATION = Duration.ofSeconds(30);
  static final String AGENT = "bao-injector agent:";

  @Test
  void aRotationRefreshesBothBeansThroughOneRefreshPerRevision(OpenBao bao, @TempDir Path work)
      throws Exception {
    bao.put("app/greeting", Map.of("value", "hello-1"));
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      try (SidecarProcess sidecar = startSidecar(bao, work, sock);
          ChildProcess app =
              startApp(work, "socket=" + sock, "-jar", APP_JAR.toString(), "--interval-ms=100")) {
        int at = app.awaitLine(0, tick("hello-1", "hello-1", "hello-1", 0)::equals, STARTUP);

        bao.put("app/greeting", Map.of("value", "hello-2"));
        at = app.awaitLine(at, tick("hello-2", "hello-2", "hello-2", 1)::equals, ROTATION);
        bao.put("app/greeting", Map.of("value", "hello-3"));
        at = app.awaitLine(at, tick("hello-3", "hello-3", "hello-3", 2)::equals, ROTATION);
        // ten more ticks (a second at least) see no refresh beyond the one per revision
        int last = at + 10;
        app.awaitLine(last, l -> l.startsWith("tick "), ROTATION);
        List<String> lines = app.stdoutLines();
        for (int i = at; i <= last; i++) {
          assertEquals(tick("hello-3", "hello-3", "hello-3", 2), lines.get(i), app.output());
        }
        assertEquals(
            List.of("environment change event 1", "environment change event 2"),
            lines.stream().filter(l -> l.startsWith("environment change event")).toList());
        assertFalse(app.stderr().contains(AGENT), "the agent stays quiet:\n" + app.output());
        assertFalse(sidecar.stderr().contains("hello-"), sidecar.stderr());
      }
    }
  }

  @Test
  void withSpringRefreshFalseTheBeansKeepTheirStartupValue(OpenBao bao, @TempDir Path work)
      throws Exception {
    bao.put("app/greeting", Map.of("value", "hello-1"));
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      try (SidecarProcess sidecar = startSidecar(bao, work, sock);
          ChildProcess app =
              startApp(
                  work,
                  "socket=" + sock + ",spring-refresh=false",
                  "-jar",
                  APP_JAR.toString(),
                  "--interval-ms=100")) {
        int at = app.awaitLine(0, tick("hello-1", "hello-1", "hello-1", 0)::equals, STARTUP);
        bao.put("app/greeting", Map.of("value", "hello-2"));
        // the variable is live; the beans are not refreshed, then or ten ticks later
        at = app.awaitLine(at, l -> l.startsWith("tick env=hello-2 "), ROTATION);
        int last = at + 10;
        app.awaitLine(last, l -> l.startsWith("tick "), ROTATION);
        List<String> lines = app.stdoutLines();
        for (int i = at; i <= last; i++) {
          assertEquals(tick("hello-2", "hello-1", "hello-1", 0), lines.get(i), app.output());
        }
        assertFalse(app.stderr().contains(AGENT), app.output());
      }
    }
  }

  @Test
  void springBootWithoutSpringCloudGetsOneLineAndNoValue(@TempDir Path work) throws Exception {
    String classPath = System.getProperty("it.plain.classpath");
    assertTrue(classPath != null && !classPath.contains("spring-cloud-context"), classPath);
    Path env = work.resolve("app.env");
    Files.writeString(env, "APP_GREETING='canary-greeting-7d1f'\n");
    try (ChildProcess app =
        startApp(
            work,
            "file=" + env,
            "-cp",
            System.getProperty("it.test.classes") + ":" + classPath,
            "example.plainboot.PlainBootApp")) {
      assertEquals(0, app.awaitExit(STARTUP), app.output());
      assertTrue(app.stdout().contains("context 2 done"), app.output());
      List<String> agentLines = app.stderr().lines().filter(l -> l.contains(AGENT)).toList();
      assertEquals(1, agentLines.size(), "one line for two contexts:\n" + app.output());
      assertTrue(
          agentLines.get(0).contains("@ConfigurationProperties")
              && agentLines.get(0).contains("spring-cloud-context"),
          agentLines.get(0));
      assertFalse(app.output().contains("canary-greeting"), app.output());
    }
  }

  static String tick(String env, String scoped, String props, int events) {
    return "tick env=" + env + " scoped=" + scoped + " props=" + props + " events=" + events;
  }

  /** The sidecar with the shipped {@code sidecar.yaml}, on this test's own socket. */
  static SidecarProcess startSidecar(OpenBao bao, Path work, Path sock) throws Exception {
    String shipped = Files.readString(ROOT.resolve("examples/spring-cloud-app/sidecar.yaml"));
    assertTrue(shipped.contains(README_SOCKET), "sidecar.yaml uses " + README_SOCKET);
    Path cfg = work.resolve("sidecar.yaml");
    Files.writeString(cfg, shipped.replace(README_SOCKET, sock.toString()));
    return SidecarProcess.startReady(
        work, Map.of("BAO_ADDR", bao.address(), "BAO_TOKEN", bao.rootToken()), cfg, sock);
  }

  /**
   * {@code java -javaagent:AGENT=OPTIONS ARGS} in a clean environment (PATH and LANG, HOME set to
   * the test's directory).
   */
  static ChildProcess startApp(Path work, String agentOptions, String... args) {
    List<String> cmd = ChildProcess.java(List.of("-javaagent:" + AGENT_JAR + "=" + agentOptions));
    cmd.addAll(List.of(args));
    return ChildProcess.start("app", work, cmd, Map.of());
  }
}
