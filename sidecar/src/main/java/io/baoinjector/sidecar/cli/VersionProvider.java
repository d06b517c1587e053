package io.baoinjector.sidecar.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code --version}: the version Maven recorded in the jar; "development build" from classes. */
public final class VersionProvider implements CommandLine.IVersionProvider {
  private static final String POM_PROPERTIES =
      "/META-INF/maven/io.baoinjector/bao-injector-sidecar/pom.properties";

  @Override
  public String[] getVersion() {
    return new String[] {"bao-injector " + version()};
  }

  static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank()) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through: the version is informational
    }
    return "(development build)";
  }
}
