package io.baoinjector.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.security.CodeSource;
import java.util.jar.JarFile;

/**
 * Makes sure {@code agent.bootstrap} is loadable by the bootstrap class loader before any advice
 * that calls it is installed: advice that can't link would throw {@code NoClassDefFoundError} from
 * every {@code System.getenv} in the application.
 *
 * <p>The jar's {@code Boot-Class-Path: bao-injector-agent.jar} names a file relative to the jar
 * itself, so it works only while the jar keeps its name. For a renamed jar the JVM ignores the
 * attribute, and we append the jar at run time instead — which on JDK 17+ makes CDS print one
 * warning that we can't suppress; that is the price of renaming the jar.
 *
 * <p>Must not link against {@code agent.bootstrap} itself: resolving those classes through the
 * system class loader before the append would load second copies there.
 */
final class BootCheck {
  static final String PROBE = "io.baoinjector.agent.bootstrap.Hooks";

  private BootCheck() {}

  /** {@code null} when the bootstrap classes are in place, else the one-line problem. */
  static String ensure(Instrumentation inst) {
    if (onBootPath()) {
      return null;
    }
    try {
      CodeSource source = BootCheck.class.getProtectionDomain().getCodeSource();
      URL location = source == null ? null : source.getLocation();
      if (location == null) {
        return "can't locate the agent jar to put its bootstrap classes on the boot class path";
      }
      File jar = new File(location.toURI());
      inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
    } catch (Exception e) {
      return "can't put the agent jar on the boot class path (" + e.getMessage() + ")";
    }
    return onBootPath()
        ? null
        : "the agent's bootstrap classes are not loadable from the boot path";
  }

  private static boolean onBootPath() {
    try {
      Class.forName(PROBE, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
