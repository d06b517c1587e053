package io.baoinjector.agent.install;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Inlines calls to {@code agent.bootstrap.Hooks} into the two JDK classes, and nothing else.
 *
 * <p>Why raw ASM (Byte Buddy's bundled, relocated copy) and not Byte Buddy's {@code Advice}: {@code
 * Advice} loads ~800 Byte Buddy classes from the boot class path and added about a second to the
 * time to {@code main} here; {@code AgentBuilder} more. These hooks are four call sites of straight
 * byte code (one has a single branch), adding no members (retransformation forbids those):
 *
 * <ul>
 *   <li>{@code ProcessEnvironment.getenv(String)}: at entry, {@code managed = Hooks.getenv(name);
 *       if (managed != null) return managed;} — the one branch, with its frame, so a managed lookup
 *       costs one {@code HashMap.get} and skips the JDK's lookup.
 *   <li>{@code ProcessEnvironment.getenv()}: before {@code areturn}, {@code result =
 *       Hooks.environment(result)}.
 *   <li>{@code ProcessEnvironment.environment()}: before {@code areturn}, {@code result =
 *       Hooks.copyForChild(result)} (the JDK's own {@code StringEnvironment}, values put in).
 *   <li>{@code ProcessBuilder.start(..)} (every instance overload; 9+ route {@code start()} and
 *       {@code startPipeline} through a private one): at entry, {@code Hooks.beforeStart(this,
 *       this.environment)}.
 * </ul>
 */
final class EnvTransformer implements ClassFileTransformer {
  static final String PROCESS_ENVIRONMENT = "java/lang/ProcessEnvironment";
  static final String PROCESS_BUILDER = "java/lang/ProcessBuilder";
  private static final String HOOKS = "io/baoinjector/agent/bootstrap/Hooks";
  private static final String STRING = "Ljava/lang/String;";
  private static final String MAP = "Ljava/util/Map;";

  /** The newest class file version the bundled ASM reads. */
  private static final int NEWEST_READABLE = Opcodes.V28;

  private volatile Throwable failure;
  private volatile boolean environmentDone;
  private volatile boolean builderDone;

  /** The first error a transformation hit (the JVM swallows transformer exceptions). */
  Throwable failure() {
    return failure;
  }

  /** Whether both classes have been rewritten. */
  boolean done() {
    return environmentDone && builderDone;
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    if (loader != null
        || !(PROCESS_ENVIRONMENT.equals(className) || PROCESS_BUILDER.equals(className))) {
      return null;
    }
    try {
      byte[] out = rewrite(className, classfileBuffer);
      if (className.equals(PROCESS_ENVIRONMENT)) {
        environmentDone = true;
      } else {
        builderDone = true;
      }
      return out;
    } catch (Throwable t) {
      failure = t;
      return null;
    }
  }

  /** The class file's major version. */
  static int major(byte[] classFile) {
    return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
  }

  /**
   * A JDK newer than the bundled ASM: the parts we touch are unchanged, so read it as the newest
   * version ASM knows (and write the original version back, see {@link #written}).
   */
  static byte[] readable(byte[] original) {
    if (major(original) <= NEWEST_READABLE) {
      return original;
    }
    byte[] readable = original.clone();
    readable[6] = (byte) (NEWEST_READABLE >>> 8);
    readable[7] = (byte) NEWEST_READABLE;
    return readable;
  }

  /** The version to write for a class whose original major version was {@code major}. */
  static int written(int version, int major) {
    return major > NEWEST_READABLE ? (version & 0xffff0000) | major : version;
  }

  static byte[] rewrite(final String className, byte[] original) {
    final int major = major(original);
    ClassReader reader = new ClassReader(readable(original));
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
            super.visit(written(version, major), access, name, signature, superName, interfaces);
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
            if (className.equals(PROCESS_ENVIRONMENT) && isStatic) {
              if (name.equals("getenv") && descriptor.equals("(" + STRING + ")" + STRING)) {
                return new ManagedFirst(mv);
              }
              if (name.equals("getenv") && descriptor.equals("()" + MAP)) {
                return new BeforeReturn(mv, "environment", "(" + MAP + ")" + MAP);
              }
              if (name.equals("environment") && descriptor.equals("()" + MAP)) {
                return new BeforeReturn(mv, "copyForChild", "(" + MAP + ")" + MAP);
              }
            }
            if (className.equals(PROCESS_BUILDER) && !isStatic && name.equals("start")) {
              return new AtStart(mv);
            }
            return mv;
          }
        },
        // expanded frames, so the one frame we add is in the same (F_NEW) form as the others
        ClassReader.EXPAND_FRAMES);
    return writer.toByteArray();
  }

  /** At entry: {@code String v = Hooks.getenv(arg0); if (v != null) return v;}. */
  private static final class ManagedFirst extends MethodVisitor {
    ManagedFirst(MethodVisitor mv) {
      super(Opcodes.ASM9, mv);
    }

    @Override
    public void visitCode() {
      super.visitCode();
      Label unmanaged = new Label();
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitMethodInsn(
          Opcodes.INVOKESTATIC, HOOKS, "getenv", "(" + STRING + ")" + STRING, false);
      super.visitInsn(Opcodes.DUP);
      super.visitJumpInsn(Opcodes.IFNULL, unmanaged);
      super.visitInsn(Opcodes.ARETURN);
      super.visitLabel(unmanaged);
      // static method: the only local is the String argument; the null copy is on the stack
      Object[] locals = {"java/lang/String"};
      super.visitFrame(Opcodes.F_NEW, 1, locals, 1, new Object[] {"java/lang/String"});
      super.visitInsn(Opcodes.POP);
    }
  }

  /** Before every {@code areturn}: {@code [result] -> Hooks.m(result)}. */
  private static final class BeforeReturn extends MethodVisitor {
    private final String hook;
    private final String descriptor;

    BeforeReturn(MethodVisitor mv, String hook, String descriptor) {
      super(Opcodes.ASM9, mv);
      this.hook = hook;
      this.descriptor = descriptor;
    }

    @Override
    public void visitInsn(int opcode) {
      if (opcode == Opcodes.ARETURN) {
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hook, descriptor, false);
      }
      super.visitInsn(opcode);
    }
  }

  /** At entry: {@code Hooks.beforeStart(this, this.environment)}. */
  private static final class AtStart extends MethodVisitor {
    AtStart(MethodVisitor mv) {
      super(Opcodes.ASM9, mv);
    }

    @Override
    public void visitCode() {
      super.visitCode();
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitInsn(Opcodes.DUP);
      super.visitFieldInsn(Opcodes.GETFIELD, PROCESS_BUILDER, "environment", MAP);
      super.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          HOOKS,
          "beforeStart",
          "(Ljava/lang/ProcessBuilder;" + MAP + ")V",
          false);
    }
  }
}
