package io.baoinjector.agent.install;

import java.lang.instrument.Instrumentation;

/** Installs the hooks: the only public entry of this package. */
public final class Installer {
  private Installer() {}

  /**
   * Rewrites {@code ProcessEnvironment} and {@code ProcessBuilder} (loading them first, so both go
   * through retransformation the same way whether or not the JVM touched them yet).
   *
   * @throws IllegalStateException when either class could not be rewritten; the JVM applies a
   *     transformation whole or not at all, so a failed class is left as the JDK shipped it
   */
  public static void install(Instrumentation inst) throws Exception {
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
  }
}
