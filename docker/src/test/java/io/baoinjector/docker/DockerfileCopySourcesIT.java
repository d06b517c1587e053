package io.baoinjector.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * After {@code package}: every file the Dockerfiles COPY exists where they expect it and is the
 * kind of jar their ENTRYPOINT uses it as. Catches a module renaming its jar or dropping its
 * manifest entries, which no structure test of the Dockerfile alone would see.
 */
@Timeout(300)
class DockerfileCopySourcesIT {
  private static Path source(Dockerfile df, String copyDestination) {
    for (String copy : df.all("COPY")) {
      List<String> operands = Dockerfile.copyOperands(df.substitute(copy));
      if (operands.get(1).equals(copyDestination)) {
        Path src = Repo.root().resolve(operands.get(0));
        assertTrue(
            Files.isRegularFile(src),
            src + " is missing: build it with ./mvnw package (docker/ is built after the jars)");
        return src;
      }
    }
    throw new AssertionError(df.file() + ": nothing is copied to " + copyDestination);
  }

  private static Attributes manifest(Path jar) throws IOException {
    try (JarFile jf = new JarFile(jar.toFile())) {
      assertNotNull(jf.getManifest(), jar + ": no manifest");
      return jf.getManifest().getMainAttributes();
    }
  }

  @Test
  void sidecarJarIsTheRunnableShadedJar() throws IOException {
    Path jar = source(DockerfileTest.sidecar(), "/opt/bao-injector/bao-injector.jar");
    assertEquals("io.baoinjector.sidecar.cli.Main", manifest(jar).getValue("Main-Class"));
    // The image's ENTRYPOINT is `java -jar` on this file: it must start on its own classpath.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Proc.Result r = Proc.run(List.of(java, "-jar", jar.toString(), "--help"));
    assertEquals(0, r.exit(), r.output());
  }

  @Test
  void agentJarIsAnAgentWhoseBootClassPathResolvesInTheImage() throws IOException {
    String destination = "/opt/bao-injector/bao-injector-agent.jar";
    Path jar = source(DockerfileTest.app(), destination);
    Attributes attrs = manifest(jar);
    assertNotNull(attrs.getValue("Premain-Class"), jar + ": not a -javaagent jar");
    String bootClassPath = attrs.getValue("Boot-Class-Path");
    if (bootClassPath != null) {
      // Boot-Class-Path is relative to the agent jar's own location: the copied name must match.
      assertEquals(Path.of(destination).getFileName().toString(), bootClassPath);
    }
  }

  @Test
  void legacyAppJarRunsWithJavaJar() throws IOException {
    Path jar = source(DockerfileTest.app(), "/opt/app/legacy-app.jar");
    assertEquals("example.LegacyApp", manifest(jar).getValue("Main-Class"));
  }
}
