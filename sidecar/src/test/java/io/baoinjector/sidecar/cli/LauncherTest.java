package io.baoinjector.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The launcher script's own behaviour, with a stand-in java so no jar is needed. */
@Timeout(120)
class LauncherTest {
  @TempDir Path tmp;

  /** Always first: VM output never on stdout, then the sidecar-sized JVM defaults. */
  static final String DEFAULTS =
      "[-XX:+UnlockDiagnosticVMOptions]\n[-XX:+DisplayVMOutputToStderr]\n"
          + "[-Xms8m]\n[-Xmx64m]\n[-XX:+UseSerialGC]\n[-XX:TieredStopAtLevel=1]\n"
          + "[-XX:CICompilerCount=1]\n[-XX:ReservedCodeCacheSize=16m]\n"
          + "[-XX:MaxMetaspaceSize=128m]\n[-XX:MaxDirectMemorySize=32m]\n[-Xss512k]\n"
          + "[-XX:+ExitOnOutOfMemoryError]\n";

  /** VM output off the stdout an exec child shares (SIGQUIT thread dumps, VM warnings). */
  static final String VM_OUTPUT = DEFAULTS + "[-XX:-DisplayVMOutput]\n[-XX:+LogVMOutput]\n";

  private Path copyOfScript() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("sidecar/bin"));
    return Files.copy(
        Launcher.script(), bin.resolve("bao-injector"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void missingJarSaysHowToBuildIt() throws Exception {
    Path script = copyOfScript();
    Launcher r = Launcher.run(script, Map.of(), "check");
    assertEquals(1, r.exit, r.toString());
    assertEquals(
        "bao-injector: no sidecar jar in "
            + tmp.resolve("sidecar").toRealPath()
            + "/target; build it with ./mvnw -pl sidecar -am package -DskipTests (or set"
            + " BAO_INJECTOR_JAR)\n",
        r.err);
  }

  @Test
  void missingJarFromTheEnvironmentIsNamed() throws Exception {
    Launcher r = Launcher.run(copyOfScript(), Map.of("BAO_INJECTOR_JAR", "/nonexistent/x.jar"));
    assertEquals(1, r.exit);
    assertEquals(
        "bao-injector: BAO_INJECTOR_JAR=/nonexistent/x.jar: no such file (point it at"
            + " bao-injector-sidecar-*-all.jar)\n",
        r.err);
  }

  @Test
  void javaHomeIsUsedAndArgumentsPassUnchanged() throws Exception {
    Path script = copyOfScript();
    Path target = Files.createDirectories(tmp.resolve("sidecar/target"));
    Path jar = Files.writeString(target.resolve("bao-injector-sidecar-9.9-all.jar"), "");
    Path javaBin = Files.createDirectories(tmp.resolve("jdk/bin"));
    Path java = javaBin.resolve("java");
    // a stand-in java that prints each argument on its own line and exits 2, as a config error
    // would
    Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"[$a]\"; done\nexit 2\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

    Launcher r =
        Launcher.run(
            script,
            Map.of(
                "JAVA_HOME",
                tmp.resolve("jdk").toString(),
                "JAVA_OPTS",
                "-Xmx64m -Dx=1",
                "BAO_INJECTOR_VM_LOG",
                "/var/log/vm log"),
            "exec",
            "--",
            "echo",
            "two words",
            "$HOME",
            "");
    assertEquals(2, r.exit, "the jar's exit code is the launcher's");
    assertEquals(
        VM_OUTPUT
            + "[-XX:LogFile=/var/log/vm log]\n[-Xmx64m]\n[-Dx=1]\n[-jar]\n["
            + jar.toRealPath()
            + "]\n[exec]\n[--]\n[echo]\n[two words]\n[$HOME]\n[]\n",
        r.out);
  }

  @Test
  void badJavaHomeIsNamed() throws Exception {
    Path jar = Files.writeString(tmp.resolve("x.jar"), "");
    Launcher r =
        Launcher.run(
            copyOfScript(),
            Map.of("BAO_INJECTOR_JAR", jar.toString(), "JAVA_HOME", "/nonexistent"));
    assertEquals(1, r.exit);
    assertEquals(
        "bao-injector: JAVA_HOME=/nonexistent has no bin/java; fix JAVA_HOME or unset it to use java"
            + " on PATH\n",
        r.err);
  }

  /** A stand-in java printing its arguments, then the suspend signal it was given. */
  private Path standInJava() throws Exception {
    Path javaBin = Files.createDirectories(tmp.resolve("jdk/bin"));
    Path java = javaBin.resolve("java");
    Files.writeString(
        java, "#!/bin/sh\nfor a in \"$@\"; do echo \"[$a]\"; done\necho \"SR=$_JAVA_SR_SIGNUM\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return tmp.resolve("jdk");
  }

  Launcher runStandIn(String tmpdir, String... args) throws Exception {
    Path jar = Files.writeString(tmp.resolve("x.jar"), "");
    return Launcher.run(
        copyOfScript(),
        Map.of(
            "BAO_INJECTOR_JAR",
            jar.toString(),
            "JAVA_HOME",
            standInJava().toString(),
            "TMPDIR",
            tmpdir),
        args);
  }

  @Test
  void hotSpotsSuspendSignalMovesOffUsr2AndExecsVmLogIsAFreshPrivateFile() throws Exception {
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    Launcher r = runStandIn(logs.toString(), "exec", "--", "true");
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.out.startsWith(VM_OUTPUT + "[-XX:LogFile=" + logs + "/bao-injector-vm."), r.out);
    String jar = tmp.resolve("x.jar").toString();
    assertTrue(r.out.endsWith("[-jar]\n[" + jar + "]\n[exec]\n[--]\n[true]\nSR=39\n"), r.out);
    String log = r.out.split("\\[-XX:LogFile=")[1].split("]")[0];
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(log))));
  }

  @Test
  void withoutAWritableTmpdirExecsVmOutputGoesToStderrNotStdout() throws Exception {
    Launcher r = runStandIn("/nonexistent", "exec", "--", "true");
    assertEquals(0, r.exit, r.toString());
    assertEquals(
        DEFAULTS + "[-jar]\n[" + tmp.resolve("x.jar") + "]\n[exec]\n[--]\n[true]\nSR=39\n", r.out);
  }

  @Test
  void otherCommandsSendVmOutputToStderrAndLeaveNoFile() throws Exception {
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    Launcher r = runStandIn(logs.toString(), "env", "-c", "x.yaml");
    assertEquals(0, r.exit, r.toString());
    assertEquals(
        DEFAULTS + "[-jar]\n[" + tmp.resolve("x.jar") + "]\n[env]\n[-c]\n[x.yaml]\nSR=39\n", r.out);
    try (var files = Files.list(logs)) {
      assertEquals(0, files.count());
    }
  }

  /** A stand-in JAVA_HOME whose release file says {@code version}. */
  private Path standInJdk(String version) throws Exception {
    Path home = standInJava();
    Files.writeString(
        home.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
    return home;
  }

  private Launcher runJdk(String version, Map<String, String> more) throws Exception {
    return runJdk(version, more, "run");
  }

  private Launcher runJdk(String version, Map<String, String> more, String command)
      throws Exception {
    Path jar = Files.writeString(tmp.resolve("x.jar"), "jar bytes");
    Map<String, String> env = new java.util.HashMap<>(more);
    env.put("BAO_INJECTOR_JAR", jar.toString());
    env.put("JAVA_HOME", standInJdk(version).toString());
    env.put("JAVA_OPTS", "-Xmx256m");
    return Launcher.run(copyOfScript(), env, command, "-c", "x.yaml");
  }

  @Test
  void onJava19OrLaterAClassDataArchiveNamedForTheJarAndJavaIsUsedOrMadeSilently()
      throws Exception {
    Path cache = tmp.resolve("home/.cache/bao-injector");
    Launcher r = runJdk("21.0.8", Map.of("HOME", tmp.resolve("home").toString()));
    assertEquals(0, r.exit, r.toString());
    String jar = tmp.resolve("x.jar").toString();
    // cksum of "jar bytes": the archive follows the jar's content, so a new build gets its own
    Process sum = new ProcessBuilder("sh", "-c", "cksum < '" + jar + "' | cut -d' ' -f1").start();
    String crc = new String(sum.getInputStream().readAllBytes()).trim();
    assertEquals(
        DEFAULTS
            + "[-XX:SharedArchiveFile="
            + cache
            + "/bao-injector-"
            + crc
            + "-21.0.8-run.jsa]\n[-XX:+AutoCreateSharedArchive]\n[-Xlog:cds=off]\n"
            + "[-Xlog:cds+dynamic=off]\n[-Xmx256m]\n[-jar]\n["
            + jar
            + "]\n[run]\n[-c]\n[x.yaml]\nSR=39\n",
        r.out,
        "JAVA_OPTS comes after the defaults, so it wins");
    assertTrue(Files.isDirectory(cache));
    // a one-shot command first must not leave run with an archive of its few classes
    Launcher check = runJdk("21.0.8", Map.of("HOME", tmp.resolve("home").toString()), "check");
    assertTrue(check.out.contains("-21.0.8-cli.jsa]\n"), check.out);
  }

  @Test
  void noArchiveOnJava17OrWithoutAWritableCacheDirectory() throws Exception {
    String plain =
        DEFAULTS
            + "[-Xmx256m]\n[-jar]\n["
            + tmp.resolve("x.jar")
            + "]\n[run]\n[-c]\n[x.yaml]\nSR=39\n";
    Launcher on17 = runJdk("17.0.15", Map.of("HOME", tmp.resolve("home").toString()));
    assertEquals(plain, on17.out, on17.toString());
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "");
    Launcher unwritable = runJdk("25.0.3", Map.of("BAO_INJECTOR_CACHE_DIR", file + "/sub"));
    assertEquals(plain, unwritable.out, unwritable.toString());
    Launcher noHome = runJdk("25.0.3", Map.of());
    assertEquals(plain, noHome.out, noHome.toString());
  }
}
