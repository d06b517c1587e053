package io.baoinjector.agent.install;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * One class file rewrite, the set-up every transformer here shares: read the class (a JDK newer
 * than the bundled ASM as the newest version ASM knows: the parts we touch are unchanged), let
 * {@link #method} wrap the methods to change, write the original version back. Subclasses are
 * anonymous classes, never lambdas: these run in {@code premain}, where a lambda's bootstrap costs
 * time to {@code main}.
 */
abstract class Rewrite extends ClassVisitor {
  static final String HOOKS = "io/baoinjector/agent/bootstrap/Hooks";

  /** The newest class file version the bundled ASM reads. */
  private static final int NEWEST_READABLE = Opcodes.V28;

  private final int major;
  private final ClassReader reader;

  Rewrite(byte[] original) {
    this(original, new ClassReader(readable(original)));
  }

  private Rewrite(byte[] original, ClassReader reader) {
    super(Opcodes.ASM9, new ClassWriter(reader, ClassWriter.COMPUTE_MAXS));
    this.major = major(original);
    this.reader = reader;
  }

  /** The rewritten class; {@code parsingOptions} are {@link ClassReader#accept}'s. */
  final byte[] apply(int parsingOptions) {
    reader.accept(this, parsingOptions);
    return ((ClassWriter) cv).toByteArray();
  }

  /** {@code mv} for a method to leave alone, or a visitor around it that adds the hook. */
  abstract MethodVisitor method(int access, String name, String descriptor, MethodVisitor mv);

  @Override
  public final void visit(
      int version,
      int access,
      String name,
      String signature,
      String superName,
      String[] interfaces) {
    super.visit(written(version, major), access, name, signature, superName, interfaces);
  }

  @Override
  public final MethodVisitor visitMethod(
      int access, String name, String descriptor, String signature, String[] exceptions) {
    return method(
        access,
        name,
        descriptor,
        super.visitMethod(access, name, descriptor, signature, exceptions));
  }

  /** The class file's major version. */
  private static int major(byte[] classFile) {
    return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
  }

  /** {@code original}, or a copy marked with the newest version ASM reads when it is newer. */
  private static byte[] readable(byte[] original) {
    if (major(original) <= NEWEST_READABLE) {
      return original;
    }
    byte[] readable = original.clone();
    readable[6] = (byte) (NEWEST_READABLE >>> 8);
    readable[7] = (byte) NEWEST_READABLE;
    return readable;
  }

  /** The version to write for a class whose original major version was {@code major}. */
  private static int written(int version, int major) {
    return major > NEWEST_READABLE ? (version & 0xffff0000) | major : version;
  }

  /**
   * Before every {@code opcode} (a return instruction): {@link #arguments}, then {@code
   * Hooks.hook}. By default the arguments are the given locals ({@code 0}: {@code this}); with
   * none, the hook takes and returns the value on the stack.
   */
  static class BeforeReturn extends MethodVisitor {
    private final int opcode;
    private final String hook;
    private final String descriptor;
    private final int[] locals;

    BeforeReturn(MethodVisitor mv, int opcode, String hook, String descriptor, int... locals) {
      super(Opcodes.ASM9, mv);
      this.opcode = opcode;
      this.hook = hook;
      this.descriptor = descriptor;
      this.locals = locals;
    }

    @Override
    public void visitInsn(int op) {
      if (op == opcode) {
        arguments();
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hook, descriptor, false);
      }
      super.visitInsn(op);
    }

    void arguments() {
      for (int local : locals) {
        super.visitVarInsn(Opcodes.ALOAD, local);
      }
    }
  }
}
