package io.baoinjector.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Dockerfiles as text: what each instruction says, checked without building the image. */
class DockerfileTest {
  static final String UID = "10001";
  static final Pattern PINNED_TEMURIN = Pattern.compile("eclipse-temurin:(\\d+)-jre(-alpine)?");

  static Dockerfile sidecar() {
    return new Dockerfile(Repo.docker("Dockerfile.sidecar"));
  }

  static Dockerfile app() {
    return new Dockerfile(Repo.docker("Dockerfile.app-example"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile.sidecar", "Dockerfile.app-example"})
  void baseImageIsAJrePinnedByTag(String name) {
    Dockerfile df = new Dockerfile(Repo.docker(name));
    List<String> from = df.all("FROM");
    assertEquals(1, from.size(), name + ": one stage, no build inside the image");
    Matcher m = PINNED_TEMURIN.matcher(from.get(0));
    assertTrue(m.matches(), name + ": FROM " + from.get(0) + " is not eclipse-temurin:<major>-jre");
    assertTrue(Integer.parseInt(m.group(1)) >= 17, name + ": the sidecar needs Java 17+");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile.sidecar", "Dockerfile.app-example"})
  void runsAsTheSharedNonRootUid(String name) {
    Dockerfile df = new Dockerfile(Repo.docker(name));
    String user = df.last("USER");
    assertNotNull(user, name + ": no USER: the container would run as root");
    assertEquals(UID + ":" + UID, user, name + ": numeric uid:gid so runAsNonRoot can verify it");
    // The USER must come after every RUN (which needs root) and before ENTRYPOINT.
    List<Dockerfile.Instruction> all = df.all();
    int userAt = indexOfLast(all, "USER");
    assertTrue(userAt > indexOfLast(all, "RUN"), name + ": RUN after USER");
    assertTrue(userAt < indexOfLast(all, "ENTRYPOINT"), name + ": ENTRYPOINT before USER");
  }

  @Test
  void appEntrypointIsExecFormJava() {
    List<String> argv = Dockerfile.execForm(app().last("ENTRYPOINT"));
    assertEquals("java", argv.get(0), "java must be PID 1 to receive SIGTERM");
  }

  /**
   * The sidecar's ENTRYPOINT is {@code sh -c SCRIPT bao-injector} so JAVA_OPTS can expand; the
   * script must {@code exec java} (PID 1, SIGTERM reaches it) and pass CMD's arguments quoted.
   */
  static List<String> sidecarJavaArgv() {
    List<String> argv = Dockerfile.execForm(sidecar().last("ENTRYPOINT"));
    assertEquals(List.of("/bin/sh", "-c"), argv.subList(0, 2), argv.toString());
    assertEquals(4, argv.size(), argv.toString());
    assertEquals("bao-injector", argv.get(3), "$0 of the script");
    String script = argv.get(2);
    int exec = script.lastIndexOf("; exec java ");
    assertTrue(exec > 0, script);
    assertTrue(script.endsWith(" \"$@\""), "CMD's arguments, each kept whole: " + script);
    String line = script.substring(exec + "; exec ".length(), script.length() - " \"$@\"".length());
    return List.of(line.split(" "));
  }

  /** The image runs the sidecar with the launcher's JVM flags; JAVA_OPTS after them wins. */
  @Test
  void sidecarUsesTheLaunchersJvmFlagsThenJavaOpts() throws IOException {
    List<String> argv = sidecarJavaArgv();
    String launcher = Files.readString(Repo.root().resolve("sidecar/bin/bao-injector"));
    String defaults =
        launcher
            .substring(launcher.lastIndexOf("exec \"$java\" ") + "exec \"$java\" ".length())
            .replace("\\\n", " ")
            .replaceAll(" +", " ")
            .replace(" \"$@\"", "")
            .trim();
    List<String> flags = List.of(defaults.split(" "));
    assertEquals(flags, argv.subList(1, 1 + flags.size()), argv.toString());
    assertEquals(
        String.join(" ", flags),
        sidecar().argDefaults().get("JVM_FLAGS"),
        "the archive is built with the flags it runs with");
    assertEquals(
        List.of("$JAVA_OPTS", "-jar", "/opt/bao-injector/bao-injector.jar"),
        argv.subList(argv.size() - 3, argv.size()));
    assertFalse(
        String.join(" ", argv).contains("MaxRAMPercentage"),
        "a sidecar's heap must not grow with the pod's limit");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Dockerfile.sidecar", "Dockerfile.app-example"})
  void copiesOnlyJarsBuiltInTheRepository(String name) {
    Dockerfile df = new Dockerfile(Repo.docker(name));
    List<String> copies = df.all("COPY");
    assertFalse(copies.isEmpty(), name);
    assertTrue(df.all("ADD").isEmpty(), name + ": use COPY (ADD fetches URLs and unpacks)");
    for (String copy : copies) {
      List<String> operands = Dockerfile.copyOperands(df.substitute(copy));
      assertEquals(2, operands.size(), name + ": one source per COPY: " + copy);
      String src = operands.get(0);
      assertFalse(
          src.startsWith("/") || src.contains(".."), name + ": outside the context: " + src);
      assertTrue(src.matches("[a-z-]+(/[a-z-]+)?/target/[A-Za-z0-9.-]+\\.jar"), name + ": " + src);
      assertTrue(operands.get(1).startsWith("/opt/"), name + ": " + operands.get(1));
    }
  }

  @Test
  void sidecarVersionArgMatchesTheBuild() {
    assertEquals(Repo.version(), sidecar().argDefaults().get("VERSION"));
  }

  @Test
  void sidecarRunsTheShadedJarWithTheDocumentedCommand() {
    Dockerfile df = sidecar();
    List<String> entrypoint = sidecarJavaArgv();
    assertEquals(
        List.of("-jar", "/opt/bao-injector/bao-injector.jar"),
        entrypoint.subList(entrypoint.size() - 2, entrypoint.size()));
    assertEquals(
        List.of("run", "-c", "/etc/bao-injector/sidecar.yaml"),
        Dockerfile.execForm(df.last("CMD")));
    List<String> copy = Dockerfile.copyOperands(df.substitute(df.last("COPY")));
    assertEquals(
        List.of(
            "sidecar/target/bao-injector-sidecar-" + Repo.version() + "-all.jar",
            "/opt/bao-injector/bao-injector.jar"),
        copy);
  }

  /** What bin/bao-injector does for exec's signals, the image must do too. */
  @Test
  void sidecarMovesHotSpotsSuspendSignalKeepsVmOutputOffStdoutAndHasSetpriv() {
    Dockerfile df = sidecar();
    assertEquals("39", df.env().get("_JAVA_SR_SIGNUM"), "SIGUSR2 would crash the JVM");
    List<String> entrypoint = sidecarJavaArgv();
    int unlock = entrypoint.indexOf("-XX:+UnlockDiagnosticVMOptions");
    assertTrue(unlock > 0, entrypoint.toString());
    for (String flag :
        List.of(
            "-XX:+DisplayVMOutputToStderr",
            "-XX:-DisplayVMOutput",
            "-XX:+LogVMOutput",
            "-XX:LogFile=/tmp/bao-injector-vm.log")) {
      assertTrue(entrypoint.indexOf(flag) > unlock, flag + " after the unlock: " + entrypoint);
    }
    assertFalse(entrypoint.contains("-Xrs"), "-Xrs makes SIGQUIT kill the sidecar");
    assertTrue(
        df.all("RUN").stream().anyMatch(r -> r.contains("apk add --no-cache setpriv")),
        "exec needs util-linux setpriv for the child's parent-death signal");
  }

  @Test
  void sidecarHealthcheckProbesTheExposedHealthListener() {
    Dockerfile df = sidecar();
    String command = df.healthcheckCommand();
    assertNotNull(command, "no HEALTHCHECK");
    // BusyBox wget: the JRE image has no curl. Shell form, so $BAO_INJECTOR_HEALTH_URL expands.
    assertTrue(command.startsWith("wget -q -O /dev/null "), command);
    assertTrue(command.contains("$BAO_INJECTOR_HEALTH_URL"), command);
    assertEquals("http://127.0.0.1:9102/v1/health", df.env().get("BAO_INJECTOR_HEALTH_URL"));
    assertEquals(List.of("9102"), df.all("EXPOSE"));
    assertTrue(df.healthcheckOptions().containsKey("start-period"), "no start period");
  }

  @Test
  void appRunsTheLegacyAppWithTheAgentCopiedUnderItsBootClassPathName() {
    Dockerfile df = app();
    List<String> entrypoint = Dockerfile.execForm(df.last("ENTRYPOINT"));
    assertEquals(
        List.of(
            "java",
            "-javaagent:/opt/bao-injector/bao-injector-agent.jar",
            "-jar",
            "/opt/app/legacy-app.jar"),
        entrypoint);
    List<List<String>> copies =
        df.all("COPY").stream().map(c -> Dockerfile.copyOperands(df.substitute(c))).toList();
    assertTrue(
        copies.contains(
            List.of(
                "agent/target/bao-injector-agent.jar", "/opt/bao-injector/bao-injector-agent.jar")),
        copies.toString());
    assertTrue(
        copies.contains(
            List.of("examples/legacy-app/target/legacy-app.jar", "/opt/app/legacy-app.jar")),
        copies.toString());
    assertEquals("/run/bao-injector/agent.sock", df.env().get("BAO_INJECTOR_SOCKET"));
  }

  @Test
  void parserJoinsContinuationsAndRejectsShellFormWhereExecIsRequired(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("Dockerfile");
    Files.writeString(
        file,
        "FROM x:1\n# comment\nRUN a \\\n # inner comment\n && b\nENTRYPOINT java -jar x.jar\n");
    Dockerfile df = new Dockerfile(file);
    assertEquals(List.of("a  && b"), df.all("RUN"));
    assertThrows(IllegalArgumentException.class, () -> Dockerfile.execForm(df.last("ENTRYPOINT")));
  }

  private static int indexOfLast(List<Dockerfile.Instruction> all, String keyword) {
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).keyword().equals(keyword)) {
        return i;
      }
    }
    return -1;
  }
}
