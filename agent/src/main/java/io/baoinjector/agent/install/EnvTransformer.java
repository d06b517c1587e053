package io.baoinjector.agent.install;

import net.bytebuddy.jar.asm.ClassReader;
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
final class EnvTransformer extends JdkTransformer {
  static final String PROCESS_ENVIRONMENT = "java/lang/ProcessEnvironment";
  static final String PROCESS_BUILDER = "java/lang/ProcessBuilder";
  private static final String STRING = "Ljava/lang/String;";
  private static final String MAP = "Ljava/util/Map;";

  EnvTransformer() {
    super(PROCESS_ENVIRONMENT, PROCESS_BUILDER);
  }

  @Override
  byte[] rewrite(final String className, byte[] original) {
    return new Rewrite(original) {
      @Override
      MethodVisitor method(int access, String name, String descriptor, MethodVisitor mv) {
        boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
        if (className.equals(PROCESS_ENVIRONMENT) && isStatic) {
          if (name.equals("getenv") && descriptor.equals("(" + STRING + ")" + STRING)) {
            return new ManagedFirst(mv);
          }
          if (name.equals("getenv") && descriptor.equals("()" + MAP)) {
            return new Rewrite.BeforeReturn(
                mv, Opcodes.ARETURN, "environment", "(" + MAP + ")" + MAP);
          }
          if (name.equals("environment") && descriptor.equals("()" + MAP)) {
            return new Rewrite.BeforeReturn(
                mv, Opcodes.ARETURN, "copyForChild", "(" + MAP + ")" + MAP);
          }
        }
        if (className.equals(PROCESS_BUILDER) && !isStatic && name.equals("start")) {
          return new AtStart(mv);
        }
        return mv;
      }
    }
    // expanded frames, so the one frame we add is in the same (F_NEW) form as the others
    .apply(ClassReader.EXPAND_FRAMES);
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
          Opcodes.INVOKESTATIC, Rewrite.HOOKS, "getenv", "(" + STRING + ")" + STRING, false);
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
          Rewrite.HOOKS,
          "beforeStart",
          "(Ljava/lang/ProcessBuilder;" + MAP + ")V",
          false);
    }
  }
}
