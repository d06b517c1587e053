package io.baoinjector.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The built jar is self-contained, Java 8, and a valid agent. */
class AgentJarIT {
  @Test
  void onlyOurOwnJava8ClassesAndTheAgentManifest() throws Exception {
    List<String> problems = new ArrayList<>();
    int classes = 0;
    try (JarFile jar = new JarFile(Jvms.AGENT_JAR.toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertEquals("io.baoinjector.agent.AgentMain", main.getValue("Premain-Class"));
      assertEquals("bao-injector-agent.jar", main.getValue("Boot-Class-Path"));
      assertEquals("true", main.getValue("Can-Retransform-Classes"));
      assertEquals(null, main.getValue("Multi-Release"));
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        String name = entry.getName();
        if (entry.isDirectory()) {
          continue;
        }
        if (name.endsWith(".class")) {
          classes++;
          if (!name.startsWith("io/baoinjector/") || name.endsWith("module-info.class")) {
            problems.add("foreign class " + name);
          }
          try (InputStream in = jar.getInputStream(entry)) {
            DataInputStream data = new DataInputStream(in);
            assertEquals(0xCAFEBABE, data.readInt(), name);
            data.readUnsignedShort();
            int major = data.readUnsignedShort();
            if (major > 52) {
              problems.add(name + " has class file major version " + major + " (> 52, Java 8)");
            }
          }
        } else if (!name.equals("META-INF/MANIFEST.MF") && !name.startsWith("META-INF/licenses/")) {
          problems.add("unexpected resource " + name);
        }
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(classes > 20, "only " + classes + " classes");
  }
}
