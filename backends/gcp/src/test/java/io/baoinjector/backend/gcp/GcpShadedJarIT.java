package io.baoinjector.backend.gcp;

import static io.baoinjector.backend.gcp.GcpFixture.access;
import static io.baoinjector.backend.gcp.GcpFixture.ref;
import static io.baoinjector.backend.gcp.GcpFixture.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auth.oauth2.GoogleCredentials;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shaded jar as the sidecar loads it: failsafe puts the packaged jar on the class path and
 * leaves the SDK's own jars off (pom), so a class the shade step dropped fails here, a class it
 * should have dropped is listed, and the factory is found by its service file.
 */
@Timeout(60)
class GcpShadedJarIT {
  @RegisterExtension final GcpFixture gcp = new GcpFixture();

  @Test
  void theJarCarriesTheSdkAndTheFactoryButNoneOfTheSidecarsJars() throws Exception {
    Path jar =
        Path.of(
            GcpSecretManagerFactory.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    assertTrue(
        jar.getFileName().toString().matches("bao-injector-backend-gcp-.*\\.jar"), jar.toString());
    assertEquals(
        jar,
        Path.of(
            GoogleCredentials.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
        "google-auth from the shaded jar");

    List<String> unwanted = new ArrayList<>();
    List<String> unloadable = new ArrayList<>();
    try (JarFile j = new JarFile(jar.toFile())) {
      // minimizeJar keeps what is referenced; every class kept must still find its supertypes
      j.stream()
          .map(e -> e.getName())
          .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
          .forEach(
              n -> {
                try {
                  Class.forName(
                      n.substring(0, n.length() - 6).replace('/', '.'),
                      false,
                      getClass().getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                  unloadable.add(n + ": " + e);
                }
              });
      j.stream()
          .map(e -> e.getName())
          .filter(
              n ->
                  n.startsWith("okhttp3/")
                      || n.startsWith("okio/")
                      || n.startsWith("kotlin/")
                      || n.startsWith("com/fasterxml/")
                      || n.startsWith("org/slf4j/")
                      || n.startsWith("io/baoinjector/sidecar/")
                      || n.startsWith("io/baoinjector/shared/")
                      || n.startsWith("org/apache/http/")
                      || n.startsWith("io/grpc/netty/")
                      || n.matches("META-INF/[^/]*\\.(SF|DSA|RSA)"))
          .forEach(unwanted::add);
      assertEquals(
          "io.baoinjector.backend.gcp.GcpSecretManagerFactory",
          new String(
                  j.getInputStream(
                          j.getEntry(
                              "META-INF/services/io.baoinjector.sidecar.backend.BackendFactory"))
                      .readAllBytes())
              .trim());
    }
    assertEquals(List.of(), unwanted);
    assertEquals(List.of(), unloadable);

    BackendFactory factory =
        ServiceLoader.load(BackendFactory.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(f -> f.type().equals("gcp-secret-manager"))
            .findFirst()
            .orElseThrow();
    gcp.server.enqueue(token());
    gcp.server.enqueue(access("db", 5, "{\"password\":\"pw-5\"}"));
    try (Backend b = factory.open("gcp", gcp.block(gcp.keyFile))) {
      assertEquals("pw-5", b.read(ref("gcp:db")).keys().get("password").reveal());
    }
  }
}
