package io.baoinjector.agent.install;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Rewrites two JDK classes by retransformation and stays registered, so another agent's later
 * retransformation (which restarts from the original bytes) gets our hooks again. The JVM swallows
 * a transformer's exceptions, so the first one is kept for {@link #install}'s message.
 */
abstract class JdkTransformer implements ClassFileTransformer {
  private final String first;
  private final String second;
  private volatile Throwable failure;
  private volatile boolean firstDone;
  private volatile boolean secondDone;

  /** Internal names, e.g. {@code java/util/Properties}. */
  JdkTransformer(String first, String second) {
    this.first = first;
    this.second = second;
  }

  abstract byte[] rewrite(String className, byte[] original);

  @Override
  public final byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    if (loader != null || !(first.equals(className) || second.equals(className))) {
      return null;
    }
    try {
      byte[] out = rewrite(className, classfileBuffer);
      if (className.equals(first)) {
        firstDone = true;
      } else {
        secondDone = true;
      }
      return out;
    } catch (Throwable t) {
      failure = t;
      return null;
    }
  }

  /**
   * Loads both classes before the transformer is added, so each is rewritten once (by
   * retransformation), not also as it loads.
   *
   * @throws IllegalStateException with {@code problem} when a class could not be rewritten; the JVM
   *     applies a transformation whole or not at all, so it is left as the JDK shipped it
   */
  final void install(Instrumentation inst, String problem) throws Exception {
    Class<?> a = Class.forName(first.replace('/', '.'), false, null);
    Class<?> b = Class.forName(second.replace('/', '.'), false, null);
    inst.addTransformer(this, true);
    inst.retransformClasses(a, b);
    if (failure != null || !(firstDone && secondDone)) {
      throw new IllegalStateException(problem, failure);
    }
  }
}
