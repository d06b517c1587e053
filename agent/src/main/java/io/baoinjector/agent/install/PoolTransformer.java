package io.baoinjector.agent.install;

import io.baoinjector.agent.bootstrap.Hooks;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The {@code pools} hook, raw ASM like {@link EnvTransformer}: before every {@code return} of
 * {@code com.zaxxer.hikari.pool.HikariPool(HikariConfig)}, {@code Hooks.poolCreated(this, config)}.
 * The constructor's end is the one place where both the pool and the config it reads credentials
 * from (the {@code HikariDataSource}'s own copy) exist, for {@code new HikariDataSource(cfg)} and
 * for the lazily started {@code new HikariDataSource()} alike.
 *
 * <p>Every class the JVM loads passes through {@link #transform}; for all but one name it is a null
 * check and one {@code String.equals}, and it allocates nothing.
 */
final class PoolTransformer implements ClassFileTransformer {
  static final String HIKARI_POOL = "com/zaxxer/hikari/pool/HikariPool";
  private static final String CONSTRUCTOR = "(Lcom/zaxxer/hikari/HikariConfig;)V";
  private static final String HOOKS = "io/baoinjector/agent/bootstrap/Hooks";

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    if (!HIKARI_POOL.equals(className) || loader == null) {
      return null;
    }
    if (!seesHooks(loader)) {
      System.err.println(
          "bao-injector agent: HikariCP's class loader does not see io.baoinjector.agent.bootstrap"
              + " (JBoss Modules/OSGi: export that package to applications); its pools keep their"
              + " startup credentials");
      return null;
    }
    try {
      return rewrite(classfileBuffer);
    } catch (Throwable t) {
      // the JVM loads the class as shipped: the pool works, it just won't follow rotations
      System.err.println(
          "bao-injector agent: could not instrument HikariPool ("
              + t.getClass().getName()
              + "); its pools keep their startup credentials");
      return null;
    }
  }

  /**
   * Whether code defined by {@code loader} links to our {@link Hooks} — not so under JBoss Modules
   * or OSGi unless the boot package is exported, and then the rewritten constructor would throw
   * {@code NoClassDefFoundError}: such a pool is left as shipped.
   */
  private static boolean seesHooks(ClassLoader loader) {
    try {
      return Class.forName(HOOKS.replace('/', '.'), false, loader) == Hooks.class;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  static byte[] rewrite(byte[] original) {
    final int major = EnvTransformer.major(original);
    ClassReader reader = new ClassReader(EnvTransformer.readable(original));
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    final boolean[] found = new boolean[1];
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
            if (!name.equals("<init>") || !descriptor.equals(CONSTRUCTOR)) {
              return mv;
            }
            found[0] = true;
            return new MethodVisitor(Opcodes.ASM9, mv) {
              @Override
              public void visitInsn(int opcode) {
                if (opcode == Opcodes.RETURN) {
                  super.visitVarInsn(Opcodes.ALOAD, 0);
                  super.visitVarInsn(Opcodes.ALOAD, 1);
                  super.visitMethodInsn(
                      Opcodes.INVOKESTATIC,
                      HOOKS,
                      "poolCreated",
                      "(Ljava/lang/Object;Ljava/lang/Object;)V",
                      false);
                }
                super.visitInsn(opcode);
              }
            };
          }
        },
        0);
    if (!found[0]) {
      throw new IllegalStateException("no HikariPool(HikariConfig) constructor");
    }
    return writer.toByteArray();
  }
}
