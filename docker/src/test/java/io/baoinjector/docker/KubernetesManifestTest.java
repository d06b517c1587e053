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
import org.junit.jupiter.api.Test;

/** docker/kubernetes/: the pod wiring the kubelet would act on. */
class KubernetesManifestTest {
  static final JsonNode SERVICE_ACCOUNT = only("serviceaccount.yaml", "ServiceAccount");
  static final JsonNode CONFIG_MAP = only("configmap.yaml", "ConfigMap");
  static final JsonNode NATIVE = only("deployment.yaml", "Deployment");
  static final JsonNode RENDER = only("deployment-init-render.yaml", "Deployment");

  static JsonNode only(String file, String kind) {
    List<JsonNode> docs = Repo.yamlDocuments(Repo.docker("kubernetes/" + file));
    assertEquals(1, docs.size(), file);
    JsonNode doc = docs.get(0);
    assertEquals(kind, doc.path("kind").asText(), file);
    assertFalse(doc.path("apiVersion").asText().isEmpty(), file + ": apiVersion");
    return doc;
  }

  static JsonNode config(String key) {
    return Repo.yaml(CONFIG_MAP.at("/data/" + key).asText());
  }

  static JsonNode container(JsonNode deployment, String list, String name) {
    return named(deployment.at("/spec/template/spec/" + list), name, list);
  }

  /** The element of {@code list} whose {@code name} is name, or fail. */
  private static JsonNode named(JsonNode list, String name, String what) {
    for (JsonNode n : list) {
      if (n.path("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError("no " + what + " named " + name);
  }

  static Map<String, JsonNode> volumes(JsonNode deployment) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    deployment.at("/spec/template/spec/volumes").forEach(v -> out.put(v.path("name").asText(), v));
    return out;
  }

  /** The volumeMount whose mountPath contains path (longest match), or fail. */
  static JsonNode mountFor(JsonNode container, String path) {
    JsonNode m =
        Repo.mountFor(container.path("volumeMounts"), v -> v.path("mountPath").asText(), path);
    assertNotNull(m, container.path("name").asText() + ": " + path + " is on no mount");
    return m;
  }

  @Test
  void selectorMatchesTheTemplateLabels() {
    for (JsonNode d : List.of(NATIVE, RENDER)) {
      d.at("/spec/selector/matchLabels")
          .fields()
          .forEachRemaining(
              e ->
                  assertEquals(
                      e.getValue(),
                      d.at("/spec/template/metadata/labels").path(e.getKey()),
                      e.getKey()));
    }
  }

  @Test
  void nativeSidecarIsAnAlwaysRestartingInitContainerWithAStartupProbe() {
    JsonNode sidecar = container(NATIVE, "initContainers", "bao-injector");
    assertEquals("Always", sidecar.path("restartPolicy").asText(), "native sidecar (1.29+)");
    assertEquals(
        List.of("run", "-c", "/etc/bao-injector/sidecar.yaml"), Repo.texts(sidecar.path("args")));
    JsonNode probe = sidecar.at("/startupProbe/httpGet");
    assertEquals("/v1/health", probe.path("path").asText());
    // The probe's port is the health listener the config opens, on every interface.
    int port =
        named(sidecar.path("ports"), probe.path("port").asText(), "port")
            .path("containerPort")
            .asInt();
    String address = config("sidecar.yaml").at("/outputs/http/address").asText();
    assertEquals("0.0.0.0:" + port, address, "the kubelet probes the pod IP");
    assertTrue(
        sidecar.at("/startupProbe/failureThreshold").asInt()
                * sidecar.at("/startupProbe/periodSeconds").asInt()
            >= 60,
        "give the first login at least a minute");
  }

  @Test
  void secretsLiveInMemoryEmptyDirsSharedWithTheAppReadOnly() {
    JsonNode cfg = config("sidecar.yaml");
    JsonNode sidecar = container(NATIVE, "initContainers", "bao-injector");
    JsonNode app = container(NATIVE, "containers", "app");
    Map<String, JsonNode> volumes = volumes(NATIVE);
    for (String path : SidecarConfigs.outputPaths(cfg)) {
      JsonNode inSidecar = mountFor(sidecar, path);
      JsonNode inApp = mountFor(app, path);
      String volume = inSidecar.path("name").asText();
      assertEquals(volume, inApp.path("name").asText(), path + ": same volume");
      assertEquals(inSidecar.path("mountPath"), inApp.path("mountPath"), path);
      assertFalse(inSidecar.path("readOnly").asBoolean(), path + ": the sidecar writes it");
      assertTrue(inApp.path("readOnly").asBoolean(), path + ": the app mounts it read-only");
      assertEquals("Memory", volumes.get(volume).at("/emptyDir/medium").asText(), volume);
    }
    assertEquals(
        cfg.at("/outputs/socket/path").asText(),
        named(app.path("env"), "BAO_INJECTOR_SOCKET", "env").path("value").asText(),
        "agent socket");
  }

  @Test
  void podRunsAsTheImagesUidWithFsGroupAndTheSocketAdmitsIt() {
    for (JsonNode d : List.of(NATIVE, RENDER)) {
      JsonNode sc = d.at("/spec/template/spec/securityContext");
      assertEquals(DockerfileTest.UID, sc.path("runAsUser").asText());
      assertEquals(DockerfileTest.UID, sc.path("fsGroup").asText());
      assertTrue(sc.path("runAsNonRoot").asBoolean());
      List<JsonNode> all = new ArrayList<>();
      d.at("/spec/template/spec/initContainers").forEach(all::add);
      d.at("/spec/template/spec/containers").forEach(all::add);
      for (JsonNode c : all) {
        assertFalse(c.at("/securityContext").has("runAsUser"), "no per-container override");
        assertFalse(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true));
      }
    }
    assertTrue(
        Repo.texts(config("sidecar.yaml").at("/outputs/socket/allow-uids"))
            .contains(DockerfileTest.UID));
  }

  @Test
  void onlyTheSidecarGetsAServiceAccountTokenForKubernetesAuth() {
    String sa = SERVICE_ACCOUNT.at("/metadata/name").asText();
    for (JsonNode d : List.of(NATIVE, RENDER)) {
      JsonNode spec = d.at("/spec/template/spec");
      assertEquals(sa, spec.path("serviceAccountName").asText());
      assertFalse(
          spec.path("automountServiceAccountToken").asBoolean(true), "no token for the app");
    }
    for (String key : List.of("sidecar.yaml", "render.yaml")) {
      JsonNode cfg = config(key);
      assertEquals("kubernetes", cfg.at("/auth/method").asText(), key);
      assertEquals("legacy-app", cfg.at("/auth/role").asText(), key);
    }
    JsonNode sidecar = container(NATIVE, "initContainers", "bao-injector");
    String jwtFile = config("sidecar.yaml").at("/auth/jwt-file").asText();
    JsonNode mount = mountFor(sidecar, jwtFile);
    JsonNode volume = volumes(NATIVE).get(mount.path("name").asText());
    assertEquals(
        jwtFile.substring(jwtFile.lastIndexOf('/') + 1),
        volume.at("/projected/sources/0/serviceAccountToken/path").asText());
    JsonNode app = container(NATIVE, "containers", "app");
    for (JsonNode m : app.path("volumeMounts")) {
      assertFalse(m.path("name").asText().equals(mount.path("name").asText()), "app has the token");
    }
  }

  @Test
  void configMapIsMountedWhereTheImageReadsIt() {
    String name = CONFIG_MAP.at("/metadata/name").asText();
    for (JsonNode d : List.of(NATIVE, RENDER)) {
      JsonNode v = volumes(d).get("bao-injector-config");
      assertEquals(name, v.at("/configMap/name").asText());
      assertEquals("sidecar.yaml", v.at("/configMap/items/0/path").asText());
    }
  }

  @Test
  void renderVariantWritesFilesOnceBeforeTheAppAndTheAgentReadsTheFile() {
    JsonNode init = container(RENDER, "initContainers", "bao-injector-render");
    assertTrue(
        init.path("restartPolicy").isMissingNode(), "a plain init container: runs to completion");
    assertEquals(
        List.of("render", "-c", "/etc/bao-injector/sidecar.yaml"), Repo.texts(init.path("args")));
    assertEquals(
        "render.yaml",
        volumes(RENDER).get("bao-injector-config").at("/configMap/items/0/key").asText());
    JsonNode cfg = config("render.yaml");
    assertTrue(cfg.at("/outputs/socket").isMissingNode(), "nobody would serve the socket");
    String file = cfg.at("/outputs/files/0/path").asText();
    assertEquals("dotenv", cfg.at("/outputs/files/0/format").asText());
    JsonNode app = container(RENDER, "containers", "app");
    assertTrue(
        Repo.texts(app.path("command"))
            .contains("-javaagent:/opt/bao-injector/bao-injector-agent.jar=file=" + file),
        "the agent reads the rendered file");
    JsonNode inInit = mountFor(init, file);
    JsonNode inApp = mountFor(app, file);
    assertEquals(inInit.path("name"), inApp.path("name"));
    assertTrue(inApp.path("readOnly").asBoolean());
    assertEquals(
        "Memory", volumes(RENDER).get(inApp.path("name").asText()).at("/emptyDir/medium").asText());
  }
}
