package io.baoinjector.agent.install;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The {@code spring-refresh} hooks, in the raw-ASM style of {@link EnvTransformer}: two application
 * classes, rewritten as they load, each constructor ending in one static call with {@code this}.
 *
 * <ul>
 *   <li>Spring Cloud's {@code ContextRefresher}: {@code Hooks.contextRefresher(this)}, which keeps
 *       it (weakly) for a {@code refresh()} after each rotation ({@code agent.bootstrap
 *       .SpringRefresh}).
 *   <li>Spring Boot's {@code SpringApplication}: {@code Hooks.springApplication(this)}, which says
 *       once that {@code @ConfigurationProperties} won't follow rotations when spring-cloud-context
 *       is missing.
 * </ul>
 *
 * Every other class — all of them, in an application without Spring — costs one string compare.
 */
final class SpringTransformer implements ClassFileTransformer {
  static final String REFRESHER = "org/springframework/cloud/context/refresh/ContextRefresher";
  static final String APPLICATION = "org/springframework/boot/SpringApplication";

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    String hook;
    if (REFRESHER.equals(className)) {
      hook = "contextRefresher";
    } else if (APPLICATION.equals(className)) {
      hook = "springApplication";
    } else {
      return null;
    }
    if (loader == null) {
      return null;
    }
    try {
      return rewrite(classfileBuffer, hook);
    } catch (Throwable t) {
      // the class loads as Spring shipped it: no refresh, and the application runs on
      return null;
    }
  }

  /**
   * Before every {@code return} of a constructor: {@code Hooks.HOOK(this)}. A constructor that
   * delegates with {@code this(..)} calls it twice; the hooks are idempotent.
   */
  static byte[] rewrite(byte[] original, final String hook) {
    return new Rewrite(original) {
      @Override
      MethodVisitor method(int access, String name, String descriptor, MethodVisitor mv) {
        return name.equals("<init>")
            ? new Rewrite.BeforeReturn(mv, Opcodes.RETURN, hook, "(Ljava/lang/Object;)V", 0)
            : mv;
      }
    }.apply(ClassReader.EXPAND_FRAMES);
  }
}
