package io.baoinjector.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executes what the Dockerfiles and compose.yaml would run, without a Docker engine: every RUN step
 * in a BusyBox chroot standing in for the Alpine base (see {@link AlpineRoot}) — except a step that
 * only installs Alpine packages (no Alpine repository here) — then the HEALTHCHECK commands with
 * BusyBox wget against a stand-in health listener.
 */
@Timeout(300)
class DockerfileRunTest {
  /** A RUN step that only installs Alpine packages: the one kind of step not executed here. */
  private static final java.util.regex.Pattern PACKAGE_INSTALL =
      java.util.regex.Pattern.compile("apk add --no-cache [a-z0-9-]+( [a-z0-9-]+)*");

  @TempDir Path tmp;

  @Test
  void sidecarRunStepsCreateTheUserAndTheMountPoints() throws IOException {
    Dockerfile df = DockerfileTest.sidecar();
    AlpineRoot root = runAll(df, tmp.resolve("sidecar"));

    assertUser(root, "10001", "10001");
    for (String dir : List.of("/run/bao-injector", "/run/secrets")) {
      Path p = root.path(dir);
      assertTrue(Files.isDirectory(p), dir);
      assertEquals(10001, Files.getAttribute(p, "unix:uid"), dir + " owner");
      assertEquals(10001, Files.getAttribute(p, "unix:gid"), dir + " group");
      assertEquals(
          "rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), dir);
    }
    for (String dir : List.of("/opt/bao-injector", "/etc/bao-injector")) {
      assertTrue(Files.isDirectory(root.path(dir)), dir);
      assertEquals(0, Files.getAttribute(root.path(dir), "unix:uid"), dir + ": stays root-owned");
    }
  }

  @Test
  void appRunStepsCreateTheSameUid() {
    AlpineRoot root = runAll(DockerfileTest.app(), tmp.resolve("app"));
    assertUser(root, "10001", "10001");
    assertTrue(Files.isDirectory(root.path("/opt/app")));
  }

  @Test
  void runStepsFailWhereDockerBuildWould() {
    // Control: the stand-ins refuse what BusyBox refuses, so the passing runs above mean something.
    AlpineRoot root = AlpineRoot.create(tmp.resolve("control"));
    assertNotEquals(0, root.shell("adduser -S -D -H -u 10001 -G nosuchgroup x", Map.of()).exit());
    assertNotEquals(0, root.shell("addgroup --gid 10001 x", Map.of()).exit());
    assertEquals(0, root.shell("addgroup -S -g 10001 x", Map.of()).exit());
    assertNotEquals(0, root.shell("addgroup -S -g 10001 y", Map.of()).exit(), "gid in use");
  }

  @Test
  void dockerfileHealthcheckPassesOnlyWhenTheSidecarIsReady() throws IOException {
    Dockerfile df = DockerfileTest.sidecar();
    AlpineRoot root = runAll(df, tmp.resolve("hc"));
    String command = df.healthcheckCommand();
    assertHealthcheck(
        port -> {
          Map<String, String> env = new java.util.HashMap<>(df.env());
          env.put("BAO_INJECTOR_HEALTH_URL", "http://127.0.0.1:" + port + "/v1/health");
          return root.shell(command, env);
        });
  }

  @Test
  void composeHealthcheckPassesOnlyWhenTheSidecarIsReady() throws IOException {
    AlpineRoot root = AlpineRoot.create(tmp.resolve("compose-hc"));
    JsonNode test = Repo.yaml(Repo.docker("compose.yaml")).at("/services/sidecar/healthcheck/test");
    assertEquals("CMD", test.get(0).asText(), "exec form: no shell needed in the image");
    List<String> argv = new ArrayList<>(Repo.texts(test).subList(1, test.size()));
    assertTrue(argv.remove("http://127.0.0.1:9102/v1/health"), argv.toString());
    assertHealthcheck(
        port -> {
          List<String> withPort = new ArrayList<>(argv);
          withPort.add("http://127.0.0.1:" + port + "/v1/health");
          return root.exec(withPort, Map.of());
        });
  }

  private interface Check {
    Proc.Result run(int port);
  }

  /** 200 passes; 503 (starting) and no listener at all fail. */
  private static void assertHealthcheck(Check check) throws IOException {
    AtomicInteger status = new AtomicInteger(503);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/health",
        exchange -> {
          byte[] body =
              (status.get() == 200 ? "{\"status\":\"ready\"}" : "{\"status\":\"starting\"}")
                  .getBytes();
          exchange.sendResponseHeaders(status.get(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    int port = server.getAddress().getPort();
    try {
      Proc.Result starting = check.run(port);
      assertNotEquals(0, starting.exit(), "503 must be unhealthy: " + starting.output());
      status.set(200);
      Proc.Result ready = check.run(port);
      assertEquals(0, ready.exit(), "200 must be healthy: " + ready.output());
    } finally {
      server.stop(0);
    }
    Proc.Result down = check.run(port);
    assertNotEquals(0, down.exit(), "no listener must be unhealthy: " + down.output());
  }

  /**
   * The class-data archive is built by the image's own java running {@code check} with the flags
   * the ENTRYPOINT uses: a CDS archive on Java 21, an AOT cache on 25+ (the stand-in java says
   * which version it is and writes the file a JVM would).
   */
  @Test
  void sidecarRunStepsBuildTheClassDataArchiveWithTheImagesJava() throws IOException {
    Dockerfile df = DockerfileTest.sidecar();
    for (String[] c :
        new String[][] {
          {"21", "jsa", "-XX:ArchiveClassesAtExit="}, {"25", "aot", "-XX:AOTCacheOutput="}
        }) {
      AlpineRoot root = runAll(df, tmp.resolve("cds" + c[0]), Map.of("STUB_JAVA", c[0]));
      String archive = "/opt/bao-injector/bao-injector." + c[1];
      assertTrue(Files.isRegularFile(root.path(archive)), archive);
      List<String> args = root.read("/tmp/java-args").lines().toList();
      List<String> flags = List.of(df.argDefaults().get("JVM_FLAGS").split(" "));
      assertEquals(flags, args.subList(0, flags.size()));
      assertEquals(c[2] + archive, args.get(flags.size()));
      assertEquals(
          List.of("-jar", "/opt/bao-injector/bao-injector.jar", "check", "-c", "/tmp/cds.yaml"),
          args.subList(args.size() - 5, args.size()));
      assertTrue(Files.notExists(root.path("/tmp/cds.yaml")), "the sample config is removed");
    }
  }

  /**
   * The ENTRYPOINT script as the container runs it: the archive the build made, then JAVA_OPTS
   * split after the defaults, then CMD's arguments each kept whole.
   */
  @Test
  void sidecarEntrypointUsesTheArchiveAndPutsJavaOptsLast() throws IOException {
    Dockerfile df = DockerfileTest.sidecar();
    List<String> entrypoint = Dockerfile.execForm(df.last("ENTRYPOINT"));
    List<String> flags = List.of(df.argDefaults().get("JVM_FLAGS").split(" "));
    for (String[] c :
        new String[][] {
          {"21", "-XX:SharedArchiveFile=/opt/bao-injector/bao-injector.jsa"},
          {"25", "-XX:AOTCache=/opt/bao-injector/bao-injector.aot"}
        }) {
      AlpineRoot root = runAll(df, tmp.resolve("entry" + c[0]), Map.of("STUB_JAVA", c[0]));
      List<String> argv = new ArrayList<>(entrypoint);
      argv.addAll(List.of("run", "-c", "/etc/a b.yaml"));
      Proc.Result r = root.exec(argv, Map.of("JAVA_OPTS", "-Xmx256m -Dx=1"));
      assertEquals(0, r.exit(), r.output());
      List<String> args = root.read("/tmp/java-args").lines().toList();
      assertEquals(flags, args.subList(0, flags.size()));
      assertEquals(c[1], args.get(flags.size()));
      assertEquals(
          List.of(
              "-Xmx256m",
              "-Dx=1",
              "-jar",
              "/opt/bao-injector/bao-injector.jar",
              "run",
              "-c",
              "/etc/a b.yaml"),
          args.subList(args.size() - 7, args.size()));
    }
  }

  private static AlpineRoot runAll(Dockerfile df, Path dir) {
    return runAll(df, dir, Map.of());
  }

  private static AlpineRoot runAll(Dockerfile df, Path dir, Map<String, String> extra) {
    AlpineRoot root = AlpineRoot.create(dir);
    Map<String, String> env = new java.util.HashMap<>(df.argDefaults());
    env.putAll(extra);
    for (String run : df.all("RUN")) {
      if (PACKAGE_INSTALL.matcher(run).matches()) {
        // Alpine's repository cannot be reached here; DockerfileTest checks which packages
        continue;
      }
      Proc.Result r = root.shell(run, env);
      assertEquals(0, r.exit(), df.file().getFileName() + ": RUN " + run + "\n" + r.output());
    }
    return root;
  }

  private static void assertUser(AlpineRoot root, String uid, String gid) {
    String passwd = root.read("/etc/passwd");
    boolean found =
        passwd
            .lines()
            .map(l -> l.split(":"))
            .anyMatch(f -> f[2].equals(uid) && f[3].equals(gid) && f[6].equals("/sbin/nologin"));
    assertTrue(found, "no user " + uid + ":" + gid + " with /sbin/nologin in\n" + passwd);
    assertTrue(
        root.read("/etc/group").lines().anyMatch(l -> l.split(":")[2].equals(gid)),
        "no group " + gid);
  }
}
