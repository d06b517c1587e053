package io.baoinjector.agent.install;

import net.bytebuddy.jar.asm.ClassReader;
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
final class PropertiesTransformer extends JdkTransformer {
  static final String PROPERTIES = "java/util/Properties";
  static final String BUNDLE = "java/util/PropertyResourceBundle";
  private static final String PROPS = "L" + PROPERTIES + ";";
  private static final String MAP = "Ljava/util/Map;";

  PropertiesTransformer() {
    super(PROPERTIES, BUNDLE);
  }

  @Override
  byte[] rewrite(final String className, byte[] original) {
    final boolean[] hasLookup = new boolean[1];
    return new Rewrite(original) {
      @Override
      public FieldVisitor visitField(
          int access, String name, String descriptor, String signature, Object value) {
        // fields are visited before methods
        hasLookup[0] |= name.equals("lookup") && descriptor.equals(MAP);
        return super.visitField(access, name, descriptor, signature, value);
      }

      @Override
      MethodVisitor method(int access, String name, String descriptor, MethodVisitor mv) {
        if ((access & Opcodes.ACC_STATIC) != 0) {
          return mv;
        }
        if (className.equals(PROPERTIES)) {
          if ((name.equals("load") || name.equals("loadFromXML")) && descriptor.endsWith(")V")) {
            return new Rewrite.BeforeReturn(
                mv, Opcodes.RETURN, "propertiesLoaded", "(" + PROPS + ")V", 0);
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
          return new Rewrite.BeforeReturn(mv, Opcodes.RETURN, "bundleLoaded", "(" + MAP + ")V") {
            @Override
            void arguments() {
              visitVarInsn(Opcodes.ALOAD, 0);
              visitFieldInsn(Opcodes.GETFIELD, BUNDLE, "lookup", MAP);
            }
          };
        }
        return mv;
      }
    }.apply(ClassReader.EXPAND_FRAMES);
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
          Opcodes.INVOKESTATIC,
          Rewrite.HOOKS,
          "forOutput",
          "(" + PROPS + PROPS + ")" + PROPS,
          false);
      super.visitVarInsn(Opcodes.ASTORE, 0);
    }
  }
}
