package io.baoinjector.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docker/compose.yaml's structure: the wiring a Docker engine would act on. */
class ComposeTest {
  static final JsonNode COMPOSE = Repo.yaml(Repo.docker("compose.yaml"));
  static final JsonNode SIDECAR_CONFIG = Repo.yaml(Repo.docker("sidecar.compose.yaml"));

  /** A service's volume mounts as target -> {source, readOnly}. Short syntax only. */
  record Mount(String source, String target, boolean readOnly) {}

  static Map<String, Mount> mounts(String service) {
    Map<String, Mount> out = new LinkedHashMap<>();
    for (JsonNode v : COMPOSE.at("/services/" + service + "/volumes")) {
      assertTrue(v.isTextual(), service + ": use the short volume syntax: " + v);
      String[] parts = v.asText().split(":");
      boolean ro = parts.length > 2 && parts[2].equals("ro");
      out.put(parts[1], new Mount(parts[0], parts[1], ro));
    }
    return out;
  }

  @Test
  void hasTheFourServices() {
    List<String> names = new ArrayList<>();
    COMPOSE.path("services").fieldNames().forEachRemaining(names::add);
    assertEquals(List.of("openbao", "setup", "sidecar", "app"), names);
  }

  @Test
  void openBaoIsTheOfficialImagePinnedInDevMode() {
    JsonNode bao = COMPOSE.at("/services/openbao");
    String image = bao.path("image").asText();
    assertTrue(image.matches("(quay\\.io|ghcr\\.io)/openbao/openbao:\\d+\\.\\d+\\.\\d+"), image);
    List<String> command = Repo.texts(bao.path("command"));
    assertEquals("server", command.get(0));
    assertTrue(command.contains("-dev"), command.toString());
    assertTrue(command.contains("-dev-listen-address=0.0.0.0:8200"), "reachable from the others");
    assertTrue(bao.has("healthcheck"), "setup waits for service_healthy");
    assertEquals(image, COMPOSE.at("/services/setup/image").asText(), "setup uses the same bao");
  }

  @Test
  void setupRunsTheTestedScriptOnceAfterOpenBaoIsHealthy() {
    JsonNode setup = COMPOSE.at("/services/setup");
    assertEquals(
        "service_healthy", setup.at("/depends_on/openbao/condition").asText(), "depends_on");
    assertEquals("no", setup.path("restart").asText());
    assertEquals(
        List.of("/bin/sh", "/setup/openbao-setup.sh"), Repo.texts(setup.path("entrypoint")));
    Map<String, Mount> mounts = mounts("setup");
    assertEquals("./openbao-setup.sh", mounts.get("/setup/openbao-setup.sh").source());
    assertEquals("http://openbao:8200", setup.at("/environment/BAO_ADDR").asText());
    String approleDir = setup.at("/environment/APPROLE_DIR").asText();
    assertEquals("bao-approle", mounts.get(approleDir).source());
  }

  @Test
  void sidecarLogsInWithTheAppRoleFilesSetupWrote() {
    JsonNode sidecar = COMPOSE.at("/services/sidecar");
    assertEquals(
        "service_completed_successfully", sidecar.at("/depends_on/setup/condition").asText());
    Map<String, Mount> mounts = mounts("sidecar");
    Mount config = mounts.get("/etc/bao-injector/sidecar.yaml");
    assertNotNull(config, "the config is mounted where the image's CMD reads it");
    assertEquals("./sidecar.compose.yaml", config.source());
    assertTrue(config.readOnly());
    assertEquals("approle", SIDECAR_CONFIG.at("/auth/method").asText());
    String approleDir = COMPOSE.at("/services/setup/environment/APPROLE_DIR").asText();
    for (String key : List.of("role-id-file", "secret-id-file")) {
      String path = SIDECAR_CONFIG.at("/auth/" + key).asText();
      assertEquals(approleDir, parent(path), key);
      assertEquals("bao-approle", mountFor(mounts, path).source(), key);
    }
    assertEquals("http://openbao:8200", SIDECAR_CONFIG.at("/openbao/address").asText());
  }

  @Test
  void sidecarHealthcheckProbesTheConfiguredHealthListener() {
    JsonNode hc = COMPOSE.at("/services/sidecar/healthcheck");
    List<String> test = Repo.texts(hc.path("test"));
    String address = SIDECAR_CONFIG.at("/outputs/http/address").asText();
    String port = address.substring(address.lastIndexOf(':') + 1);
    assertEquals("CMD", test.get(0));
    assertEquals("wget", test.get(1), "BusyBox wget: the Alpine JRE image has no curl");
    assertEquals("http://127.0.0.1:" + port + "/v1/health", test.get(test.size() - 1));
    assertTrue(hc.has("start_period"), "a slow first login must not count as failures");
  }

  @Test
  void appStartsOnlyOnceTheSidecarIsHealthy() {
    assertEquals(
        "service_healthy", COMPOSE.at("/services/app/depends_on/sidecar/condition").asText());
  }

  @Test
  void sidecarAndAppRunAsTheSameUidTheSocketAllows() {
    String sidecarUser = COMPOSE.at("/services/sidecar/user").asText();
    assertEquals(sidecarUser, COMPOSE.at("/services/app/user").asText());
    assertEquals(DockerfileTest.UID + ":" + DockerfileTest.UID, sidecarUser);
    String uid = sidecarUser.split(":")[0];
    assertTrue(
        Repo.texts(SIDECAR_CONFIG.at("/outputs/socket/allow-uids")).contains(uid),
        "outputs.socket.allow-uids must admit the app's uid " + uid);
  }

  @Test
  void socketAndFilesLiveOnSharedTmpfsVolumesTheAppMountsReadOnly() {
    Map<String, Mount> sidecar = mounts("sidecar");
    Map<String, Mount> app = mounts("app");
    List<String> paths = SidecarConfigs.outputPaths(SIDECAR_CONFIG);
    assertTrue(paths.size() >= 2);
    for (String path : paths) {
      Mount inSidecar = mountFor(sidecar, path);
      Mount inApp = mountFor(app, path);
      assertEquals(inSidecar.source(), inApp.source(), path + ": same volume in both");
      assertEquals(inSidecar.target(), inApp.target(), path + ": same mount point in both");
      assertFalse(inSidecar.readOnly(), path + ": the sidecar writes it");
      assertTrue(inApp.readOnly(), path + ": the app only reads it");
      assertTmpfsVolume(inSidecar.source());
    }
    assertEquals(
        SIDECAR_CONFIG.at("/outputs/socket/path").asText(),
        COMPOSE.at("/services/app/environment/BAO_INJECTOR_SOCKET").asText());
  }

  @Test
  void credentialsVolumeIsTmpfsToo() {
    assertTmpfsVolume("bao-approle");
  }

  @Test
  void noServiceUsesAPerServiceTmpfsForSharedPaths() {
    // A per-service `tmpfs:` is private to that container: the app would see an empty directory.
    Set<String> shared = Set.of("/run/bao-injector", "/run/secrets", "/run/bao-approle");
    COMPOSE
        .path("services")
        .fields()
        .forEachRemaining(
            s -> {
              for (JsonNode t : s.getValue().path("tmpfs")) {
                String target = t.asText().split(":")[0];
                assertFalse(shared.contains(target), s.getKey() + " tmpfs " + target);
              }
              for (JsonNode v : s.getValue().path("volumes")) {
                assertFalse(
                    v.isObject() && "tmpfs".equals(v.path("type").asText()),
                    s.getKey() + ": a tmpfs mount is not shared: " + v);
              }
            });
  }

  static void assertTmpfsVolume(String name) {
    JsonNode volume = COMPOSE.at("/volumes/" + name);
    assertFalse(volume.isMissingNode(), "top-level volume " + name + " is not declared");
    assertEquals("tmpfs", volume.at("/driver_opts/type").asText(), name);
    assertEquals("tmpfs", volume.at("/driver_opts/device").asText(), name);
    String o = volume.at("/driver_opts/o").asText();
    assertTrue(o.contains("uid=" + DockerfileTest.UID), name + ": writable by the sidecar: " + o);
    assertTrue(o.matches(".*\\bmode=07[0-5]0\\b.*"), name + ": closed to others: " + o);
  }

  /** The mount whose target contains path (longest match), or fail. */
  static Mount mountFor(Map<String, Mount> mounts, String path) {
    Mount m = Repo.mountFor(mounts.values(), Mount::target, path);
    assertNotNull(m, path + " is on no mounted volume: " + mounts.keySet());
    return m;
  }

  static String parent(String path) {
    return path.substring(0, path.lastIndexOf('/'));
  }
}
