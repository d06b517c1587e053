package io.baoinjector.agent.it;

import static io.baoinjector.agent.it.Jvms.AGENT_JAR;
import static io.baoinjector.agent.it.Jvms.agentArg;
import static io.baoinjector.agent.it.Jvms.app;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code config-placeholders} in forked JVMs: config files the application loads itself with {@code
 * java.util.Properties} (and a {@code -D} system property) name {@code ${bao:NAME}} and see the
 * live value. JDK 11 has no Unix sockets, so it runs over the file transport; the others over the
 * socket against the sidecar's socket API in-process. {@link RealSidecarPlaceholdersIT} does it for
 * real.
 */
@Timeout(300)
class ConfigPlaceholdersIT {
  static final String CANARY = "canary-cfg-1 ${x} \\ 'q\" $";
  static final String ROTATED = "canary-cfg-2";
  static final String WARNING =
      "bao-injector agent: config placeholder ${bao:NOT_MANAGED} names nothing the sidecar"
          + " manages; left as is (map NOT_MANAGED in the sidecar, or write"
          + " ${bao:NOT_MANAGED:-default})\n";

  @TempDir Path dir;

  /** conf/db.properties, conf/db.xml and i18n/msgs.properties under {@code dir}. */
  static void writeConfig(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("conf"));
    Files.writeString(
        dir.resolve("conf/db.properties"),
        """
        # the one-line edit: the literal password became a placeholder
        db.password=${bao:DB_PASSWORD}
        db.url=jdbc:postgresql://db/app?user=${bao:DB_USER:-app}&ssl=${ssl.mode}
        db.pool=${bao:NOT_MANAGED:-10}
        db.extra=${bao:NOT_MANAGED}
        app.home=${user.home}/app
        """);
    Files.writeString(
        dir.resolve("conf/db.xml"),
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd">
        <properties>
          <entry key="db.password">${bao:DB_PASSWORD}</entry>
          <entry key="other">${other}</entry>
        </properties>
        """);
    Files.createDirectories(dir.resolve("i18n"));
    Files.writeString(
        dir.resolve("i18n/msgs.properties"), "secret=${bao:DB_PASSWORD}\nhello=Hello\n");
  }

  /** The agent's own view of one rotation: before, after, and what the files keep. */
  static void loadRotateAndCheck(AppJvm app, Path dir, Runnable rotate) throws Exception {
    String props = dir.resolve("conf/db.properties").toString();
    String xml = dir.resolve("conf/db.xml").toString();
    String bundleDir = dir.resolve("i18n").toString();
    assertEquals("loaded 5", app.ask("cfg.load " + props));
    assertEquals("loaded 2", app.ask("cfg.load " + xml));
    String viaReader = dir.resolve("i18n/msgs.properties").toString();
    assertEquals("loaded 2", app.ask("cfg.load " + viaReader + " reader"));
    assertEquals("looping", app.ask("cfg.loop " + props + " db.password"));
    // the reader thread has read the value at least once before the rotation (on a busy machine
    // it may start late, and then could only ever see the rotated value)
    app.await("cfg.seen", "[" + CANARY + "]");

    assertEquals(CANARY, app.ask("cfg.get " + props + " db.password"));
    assertEquals(
        "jdbc:postgresql://db/app?user=app&ssl=${ssl.mode}",
        app.ask("cfg.get " + props + " db.url"),
        "a default, and a ${...} that is not ours");
    assertEquals("10", app.ask("cfg.get " + props + " db.pool"));
    assertEquals("${bao:NOT_MANAGED}", app.ask("cfg.get " + props + " db.extra"));
    assertEquals("${user.home}/app", app.ask("cfg.get " + props + " app.home"));
    assertEquals(CANARY, app.ask("cfg.get " + xml + " db.password"));
    assertEquals("${other}", app.ask("cfg.get " + xml + " other"));
    assertEquals(CANARY, app.ask("cfg.get " + viaReader + " secret"), "load(Reader)");
    assertEquals(CANARY, app.ask("cfg.bundle " + bundleDir + " msgs secret"));
    assertEquals("Hello", app.ask("cfg.bundle " + bundleDir + " msgs hello"));
    assertEquals(CANARY, app.ask("prop db.password.sys"), "-Ddb.password.sys=${bao:DB_PASSWORD}");

    rotate.run();
    app.await("cfg.get " + props + " db.password", ROTATED);
    app.await("cfg.get " + xml + " db.password", ROTATED);
    app.await("cfg.get " + viaReader + " secret", ROTATED);
    app.await("cfg.bundle " + bundleDir + " msgs secret", ROTATED);
    app.await("prop db.password.sys", ROTATED);
    // the reader thread picks the new value up on its own schedule; all it may ever have seen is
    // the value, then the new one — never the placeholder or anything between
    String seen = app.await("cfg.seen", s -> !s.equals("[" + CANARY + "]"));
    assertEquals("[" + CANARY + ", " + ROTATED + "]", seen, "what a reader in a loop saw");

    // what the application writes back keeps the placeholder
    assertEquals(
        "db.password=${bao\\:DB_PASSWORD}", app.ask("cfg.store " + props + " db.password"));
    assertEquals(
        "<entry key=\"db.password\">${bao:DB_PASSWORD}</entry>",
        app.ask("cfg.storexml " + xml + " db.password"));
    assertEquals("db.password=${bao:DB_PASSWORD}", app.ask("cfg.list " + props + " db.password"));
    assertEquals(
        "db.password.sys=${bao\\:DB_PASSWORD}", app.ask("cfg.store system db.password.sys"));
    assertEquals(ROTATED, app.ask("cfg.get " + props + " db.password"), "storing changes nothing");
  }

  private static List<String> jvmArgs(String agentOptions) {
    return List.of(
        AgentJvmsIT.VERIFY_ALL,
        agentArg(AGENT_JAR, agentOptions),
        "-Ddb.password.sys=${bao:DB_PASSWORD}");
  }

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {11, 17, 21, 25})
  void loadedConfigFilesAndSystemPropertiesSeeTheLiveValue(int major) throws Exception {
    writeConfig(dir);
    Map<String, String> first = Map.of("DB_PASSWORD", CANARY);
    Map<String, String> second = Map.of("DB_PASSWORD", ROTATED);
    if (major == 11) {
      Path env = dir.resolve("app.env");
      AgentFileIT.write(env, AgentFileIT.dotenv(first));
      try (AppJvm app = app(Jvms.jdk(major), jvmArgs("file=" + env), Map.of())) {
        app.awaitReady();
        loadRotateAndCheck(
            app,
            dir,
            () -> {
              try {
                AgentFileIT.write(env, AgentFileIT.dotenv(second));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
        app.close();
        assertEquals(WARNING, app.stderr(), "one warning for the unknown name, no value");
      }
      return;
    }
    Path socket = dir.resolve("agent.sock");
    try (InProcessSidecar sidecar = InProcessSidecar.start(socket).set(first, Map.of());
        AppJvm app = app(Jvms.jdk(major), jvmArgs("socket=" + socket), Map.of())) {
      app.awaitReady();
      loadRotateAndCheck(app, dir, () -> sidecar.set(second));
      app.close();
      assertEquals(WARNING, app.stderr(), "one warning for the unknown name, no value");
    }
  }

  @Test
  void switchedOffTheFilesAreLeftAlone() throws Exception {
    writeConfig(dir);
    Path socket = dir.resolve("agent.sock");
    String props = dir.resolve("conf/db.properties").toString();
    try (InProcessSidecar sidecar =
            InProcessSidecar.start(socket).set(Map.of("DB_PASSWORD", CANARY), Map.of());
        AppJvm app =
            app(Jvms.JDK17, jvmArgs("socket=" + socket + ",config-placeholders=false"), Map.of())) {
      app.awaitReady();
      assertEquals(CANARY, app.ask("get DB_PASSWORD"), "getenv is still served");
      app.ask("cfg.load " + props);
      assertEquals("${bao:DB_PASSWORD}", app.ask("cfg.get " + props + " db.password"));
      assertEquals("${bao:DB_PASSWORD}", app.ask("prop db.password.sys"));
      app.close();
      assertEquals("", app.stderr());
    }
  }

  @Test
  void beforeTheSidecarAnswersOnUnavailableEnvUsesTheRealEnvironment() throws Exception {
    writeConfig(dir);
    Path socket = dir.resolve("agent.sock");
    String props = dir.resolve("conf/db.properties").toString();
    try (AppJvm app =
        app(
            Jvms.JDK17,
            jvmArgs("socket=" + socket + ",wait=500ms,on-unavailable=env"),
            Map.of("DB_PASSWORD", "from-the-real-env"))) {
      app.awaitReady();
      app.ask("cfg.load " + props);
      assertEquals("from-the-real-env", app.ask("cfg.get " + props + " db.password"));
      assertEquals("${bao:NOT_MANAGED}", app.ask("cfg.get " + props + " db.extra"));
      try (InProcessSidecar sidecar =
          InProcessSidecar.start(socket).set(Map.of("DB_PASSWORD", CANARY), Map.of())) {
        app.await("cfg.get " + props + " db.password", CANARY);
        app.await("prop db.password.sys", CANARY);
        app.close();
      }
      assertFalse(app.stderr().contains("canary"), app.stderr());
      assertFalse(app.stderr().contains("from-the-real-env"), app.stderr());
    }
  }
}
