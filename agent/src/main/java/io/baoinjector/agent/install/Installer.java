package io.baoinjector.agent.install;

import io.baoinjector.agent.bootstrap.Hooks;
import java.lang.instrument.Instrumentation;

/** Installs the hooks: the only public entry of this package. */
public final class Installer {
  private Installer() {}

  /**
   * Rewrites {@code ProcessEnvironment} and {@code ProcessBuilder} (loading them first, so both go
   * through retransformation the same way whether or not the JVM touched them yet), and with {@code
   * configPlaceholders} the config-loading classes.
   *
   * @throws IllegalStateException when a class could not be rewritten; the JVM applies a
   *     transformation whole or not at all, so a failed class is left as the JDK shipped it
   */
  public static void install(Instrumentation inst, boolean configPlaceholders) throws Exception {
    Class<?> environment = Class.forName("java.lang.ProcessEnvironment", false, null);
    // loaded before the transformer is added, so it is rewritten once (by retransformation), not
    // also as it loads
    Class<?> builder = Class.forName("java.lang.ProcessBuilder", false, null);
    EnvTransformer transformer = new EnvTransformer();
    // Stays registered: another agent's later retransformation of these classes restarts from the
    // original bytes, and our hooks must be applied again then.
    inst.addTransformer(transformer, true);
    inst.retransformClasses(environment, builder);
    if (transformer.failure() != null || !transformer.done()) {
      throw new IllegalStateException(
          "could not rewrite java.lang.ProcessEnvironment and java.lang.ProcessBuilder",
          transformer.failure());
    }
    if (configPlaceholders) {
      installPlaceholders(inst);
    }
  }

  /**
   * {@code config-placeholders}: rewrites {@code Properties} and {@code PropertyResourceBundle},
   * then treats the system properties (set from {@code -D} before {@code premain}) as loaded.
   */
  private static void installPlaceholders(Instrumentation inst) throws Exception {
    Class<?> properties = Class.forName("java.util.Properties", false, null);
    Class<?> bundle = Class.forName("java.util.PropertyResourceBundle", false, null);
    // initialized here, on the premain thread, not inside the first application load
    Hooks.propertiesLoaded(System.getProperties());
    PropertiesTransformer transformer = new PropertiesTransformer();
    inst.addTransformer(transformer, true);
    inst.retransformClasses(properties, bundle);
    if (transformer.failure() != null || !transformer.done()) {
      throw new IllegalStateException(
          "could not rewrite java.util.Properties and java.util.PropertyResourceBundle;"
              + " config-placeholders=false runs without them",
          transformer.failure());
    }
  }

  /**
   * {@code spring-refresh}: rewrites Spring Cloud's {@code ContextRefresher} and Spring Boot's
   * {@code SpringApplication} as they load. Neither is loaded yet before {@code main}; a
   * transformer that can't retransform is enough, and its result survives other agents'
   * retransformations.
   */
  public static void installSpring(Instrumentation inst) {
    inst.addTransformer(new SpringTransformer(), false);
  }
}
