package io.baoinjector.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import io.baoinjector.testkit.SidecarProcess;
import io.baoinjector.testkit.TmpfsDir;
import io.baoinjector.testkit.UnixHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which stores' code loads is decided by config: a {@code run} that names only OpenBao loads no
 * cloud SDK, none of the built-in stores and not the loader of the stores' jars
 * (docs/performance.md, "Other stores"). Read from the JVM's own {@code -Xlog:class+load}; the
 * {@code file:} run shows the same reading sees a store's class when one is configured.
 */
@ExtendWith(OpenBaoExtension.class)
@Timeout(120)
class OpenBaoOnlyClassesIT {
  /** What an OpenBao-only sidecar must not load (bench/suite.py's STORE_CLASSES). */
  static final List<String> STORE_CLASSES =
      List.of(
          "software.amazon.",
          "com.google.",
          "io.baoinjector.sidecar.backend.infisical.",
          "io.baoinjector.sidecar.backend.BackendJars",
          "io.baoinjector.sidecar.backend.FileBackend");

  @Test
  void anOpenBaoOnlyRunLoadsNoOtherStoresClasses(OpenBao bao, @TempDir Path work) throws Exception {
    List<String> loaded = run(bao, work, "");
    // the log is real: the sidecar's own refresh and the socket's server are in it
    assertTrue(loaded.contains("io.baoinjector.sidecar.backend.Backends"), "no Backends in log");
    assertTrue(loaded.stream().anyMatch(c -> c.startsWith("org.eclipse.jetty.")), "no Jetty");
    assertEquals(List.of(), stores(loaded));
  }

  @Test
  void aFileReferenceLoadsTheFileStoreAndNoCloudSdk(OpenBao bao, @TempDir Path work)
      throws Exception {
    Path local = work.resolve("local.env");
    Files.writeString(local, "LOCAL=from-file\n");
    List<String> loaded = run(bao, work, "  LOCAL: file:" + local + "#LOCAL\n");
    assertEquals(List.of("io.baoinjector.sidecar.backend.FileBackend"), stores(loaded));
  }

  /** Runs the sidecar until ready and one read is served, stops it; the classes it loaded. */
  static List<String> run(OpenBao bao, Path work, String moreSecrets) throws Exception {
    bao.put("app/db", Map.of("username", "app", "password", "canary-classes-pw"));
    Path log = work.resolve("classes.log");
    try (TmpfsDir t = new TmpfsDir()) {
      Path sock = t.resolve("agent.sock");
      Path cfg = work.resolve("sidecar.yaml");
      Files.writeString(
          cfg,
          TokenConfig.yaml(
              bao.address(),
              """
                DB_USER: secret/app/db#username
                DB_PASSWORD: secret/app/db#password
              %s
              outputs:
                socket:
                  path: %s
                files:
                  - path: %s
                    format: dotenv
              """
                  .formatted(moreSecrets, sock, t.resolve("app.env"))));
      try (SidecarProcess p =
          SidecarProcess.start(
              work,
              Map.of("BAO_TOKEN", bao.rootToken()),
              List.of("-Xlog:class+load:file=" + log),
              "run",
              "-c",
              cfg.toString())) {
        p.awaitReady(sock);
        assertEquals(200, UnixHttp.get(sock, "/v1/secrets/DB_USER").status());
        assertEquals(0, p.terminate(), p.stderr());
      }
    }
    // [0.012s][info][class,load] java.lang.Object source: shared objects file
    try (Stream<String> lines = Files.lines(log)) {
      return lines
          .filter(l -> l.contains("[class,load] "))
          .map(l -> l.substring(l.indexOf("[class,load] ") + 13).split(" ", 2)[0])
          .toList();
    }
  }

  static List<String> stores(List<String> loaded) {
    return loaded.stream().filter(c -> STORE_CLASSES.stream().anyMatch(c::startsWith)).toList();
  }
}
