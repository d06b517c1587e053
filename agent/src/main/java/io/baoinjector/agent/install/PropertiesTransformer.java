package io.baoinjector.agent.install;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The {@code config-placeholders} hooks, in the same raw-ASM style as {@link EnvTransformer}:
 * straight-line calls, no branches, no new members. {@code getProperty}, {@code get} and every
 * other read are left as the JDK wrote them — the values are rewritten in the table instead (see
 * {@code agent.bootstrap.Placeholders}).
 *
 * <ul>
 *   <li>{@code Properties.load(Reader)}, {@code load(InputStream)}, {@code loadFromXML}: before
 *       {@code return}, {@code Hooks.propertiesLoaded(this)}.
 *   <li>{@code Properties.store}, {@code save}, {@code storeToXML} (every overload), {@code list}:
 *       at entry, {@code this = Hooks.forOutput(this, this.defaults)} — local 0 is an ordinary
 *       local outside constructors, so the rest of the JDK's method writes the copy with the
 *       placeholders; a {@code synchronized} method still holds the original's monitor.
 *   <li>{@code PropertyResourceBundle.<init>}: before {@code return}, {@code
 *       Hooks.bundleLoaded(this.lookup)} (it copies a freshly loaded {@code Properties} there).
 * </ul>
 */
final class PropertiesTransformer implements ClassFileTransformer {
  static final String PROPERTIES = "java/util/Properties";
  static final String BUNDLE = "java/util/PropertyResourceBundle";
  private static final String HOOKS = "io/baoinjector/agent/bootstrap/Hooks";
  private static final String PROPS = "L" + PROPERTIES + ";";
  private static final String MAP = "Ljava/util/Map;";

  private volatile Throwable failure;
  private volatile boolean propertiesDone;
  private volatile boolean bundleDone;

  Throwable failure() {
    return failure;
  }

  boolean done() {
    return propertiesDone && bundleDone;
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    if (loader != null || !(PROPERTIES.equals(className) || BUNDLE.equals(className))) {
      return null;
    }
    try {
      byte[] out = rewrite(className, classfileBuffer);
      if (className.equals(PROPERTIES)) {
        propertiesDone = true;
      } else {
        bundleDone = true;
      }
      return out;
    } catch (Throwable t) {
      failure = t;
      return null;
    }
  }

  static byte[] rewrite(final String className, byte[] original) {
    final int major = EnvTransformer.major(original);
    ClassReader reader = new ClassReader(EnvTransformer.readable(original));
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    final boolean[] hasLookup = new boolean[1];
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
          public FieldVisitor visitField(
              int access, String name, String descriptor, String signature, Object value) {
            // fields are visited before methods
            hasLookup[0] |= name.equals("lookup") && descriptor.equals(MAP);
            return super.visitField(access, name, descriptor, signature, value);
          }

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            if ((access & Opcodes.ACC_STATIC) != 0) {
              return mv;
            }
            if (className.equals(PROPERTIES)) {
              if ((name.equals("load") || name.equals("loadFromXML"))
                  && descriptor.endsWith(")V")) {
                return new BeforeReturn(mv, false);
              }
              if (name.equals("store")
                  || name.equals("save")
                  || name.equals("storeToXML")
                  || name.equals("list")) {
                return new OutputCopy(mv);
              }
            }
            if (className.equals(BUNDLE) && name.equals("<init>")) {
              if (!hasLookup[0]) {
                throw new IllegalStateException("PropertyResourceBundle has no Map lookup field");
              }
              return new BeforeReturn(mv, true);
            }
            return mv;
          }
        },
        ClassReader.EXPAND_FRAMES);
    return writer.toByteArray();
  }

  /** Before every {@code return}: the load hook, or the bundle hook with {@code this.lookup}. */
  private static final class BeforeReturn extends MethodVisitor {
    private final boolean bundle;

    BeforeReturn(MethodVisitor mv, boolean bundle) {
      super(Opcodes.ASM9, mv);
      this.bundle = bundle;
    }

    @Override
    public void visitInsn(int opcode) {
      if (opcode == Opcodes.RETURN) {
        super.visitVarInsn(Opcodes.ALOAD, 0);
        if (bundle) {
          super.visitFieldInsn(Opcodes.GETFIELD, BUNDLE, "lookup", MAP);
          super.visitMethodInsn(
              Opcodes.INVOKESTATIC, HOOKS, "bundleLoaded", "(" + MAP + ")V", false);
        } else {
          super.visitMethodInsn(
              Opcodes.INVOKESTATIC, HOOKS, "propertiesLoaded", "(" + PROPS + ")V", false);
        }
      }
      super.visitInsn(opcode);
    }
  }

  /** At entry: {@code this = Hooks.forOutput(this, this.defaults)}. */
  private static final class OutputCopy extends MethodVisitor {
    OutputCopy(MethodVisitor mv) {
      super(Opcodes.ASM9, mv);
    }

    @Override
    public void visitCode() {
      super.visitCode();
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitFieldInsn(Opcodes.GETFIELD, PROPERTIES, "defaults", PROPS);
      super.visitMethodInsn(
          Opcodes.INVOKESTATIC, HOOKS, "forOutput", "(" + PROPS + PROPS + ")" + PROPS, false);
      super.visitVarInsn(Opcodes.ASTORE, 0);
    }
  }
}
