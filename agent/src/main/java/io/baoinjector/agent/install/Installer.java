package io.baoinjector.agent.install;

import io.baoinjector.agent.bootstrap.Hooks;
import java.lang.instrument.Instrumentation;

/** Installs the hooks: the only public entry of this package. */
public final class Installer {
  private Installer() {}

  /**
   * Rewrites {@code ProcessEnvironment} and {@code ProcessBuilder} (loading them first, so both go
   * through retransformation the same way whether or not the JVM touched them yet), and with {@code
   * configPlaceholders} the config-loading classes ({@code Properties}, {@code
   * PropertyResourceBundle}).
   *
   * @throws IllegalStateException when a class could not be rewritten; the JVM applies a
   *     transformation whole or not at all, so a failed class is left as the JDK shipped it
   */
  public static void install(Instrumentation inst, boolean configPlaceholders) throws Exception {
    new EnvTransformer()
        .install(
            inst, "could not rewrite java.lang.ProcessEnvironment and java.lang.ProcessBuilder");
    if (configPlaceholders) {
      // initialized here, on the premain thread, not inside the first application load; the
      // system properties were set from -D before premain, so they count as loaded
      Hooks.propertiesLoaded(System.getProperties());
      new PropertiesTransformer()
          .install(
              inst,
              "could not rewrite java.util.Properties and java.util.PropertyResourceBundle;"
                  + " config-placeholders=false runs without them");
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

  /**
   * {@code pools=follow|evict-idle}: hooks pool classes as they load (none is loaded yet in {@code
   * premain}); a JVM without a pool library only pays a name comparison per loaded class.
   */
  public static void installPools(Instrumentation inst) {
    inst.addTransformer(new PoolTransformer(), false);
  }
}
