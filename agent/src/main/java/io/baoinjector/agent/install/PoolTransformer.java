package io.baoinjector.agent.install;

import io.baoinjector.agent.bootstrap.Hooks;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
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
      return Class.forName(Rewrite.HOOKS.replace('/', '.'), false, loader) == Hooks.class;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  static byte[] rewrite(byte[] original) {
    final boolean[] found = new boolean[1];
    byte[] out =
        new Rewrite(original) {
          @Override
          MethodVisitor method(int access, String name, String descriptor, MethodVisitor mv) {
            if (!name.equals("<init>") || !descriptor.equals(CONSTRUCTOR)) {
              return mv;
            }
            found[0] = true;
            return new Rewrite.BeforeReturn(
                mv, Opcodes.RETURN, "poolCreated", "(Ljava/lang/Object;Ljava/lang/Object;)V", 0, 1);
          }
        }.apply(0);
    if (!found[0]) {
      throw new IllegalStateException("no HikariPool(HikariConfig) constructor");
    }
    return out;
  }
}
