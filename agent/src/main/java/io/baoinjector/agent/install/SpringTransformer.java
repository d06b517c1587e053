package io.baoinjector.agent.install;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
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
  private static final String HOOKS = "io/baoinjector/agent/bootstrap/Hooks";

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

  static byte[] rewrite(byte[] original, final String hook) {
    final int major = EnvTransformer.major(original);
    ClassReader reader = new ClassReader(EnvTransformer.readable(original));
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public void visit(
              int version,
              int access,
              String name,
              String signature,
              String superName,
              String[] interfaces) {
            super.visit(
                EnvTransformer.written(version, major),
                access,
                name,
                signature,
                superName,
                interfaces);
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            return name.equals("<init>") ? new BeforeReturn(mv, hook) : mv;
          }
        },
        ClassReader.EXPAND_FRAMES);
    return writer.toByteArray();
  }

  /**
   * Before every {@code return} of a constructor: {@code Hooks.HOOK(this)}. A constructor that
   * delegates with {@code this(..)} calls it twice; the hooks are idempotent.
   */
  private static final class BeforeReturn extends MethodVisitor {
    private final String hook;

    BeforeReturn(MethodVisitor mv, String hook) {
      super(Opcodes.ASM9, mv);
      this.hook = hook;
    }

    @Override
    public void visitInsn(int opcode) {
      if (opcode == Opcodes.RETURN) {
        super.visitVarInsn(Opcodes.ALOAD, 0);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hook, "(Ljava/lang/Object;)V", false);
      }
      super.visitInsn(opcode);
    }
  }
}
