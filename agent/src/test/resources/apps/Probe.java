import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The application the agent tests run (compiled with --release 8 at test time so it runs on every
 * host JVM). Reads one command per line on stdin, answers one line on stdout: "= " + result.
 */
public class Probe {
  public static void main(String[] args) throws Exception {
    System.out.println("ready");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
    String line;
    while ((line = in.readLine()) != null) {
      String[] c = line.split(" ", 2);
      String arg = c.length > 1 ? c[1] : "";
      String out;
      try {
        out = run(c[0], arg);
      } catch (Throwable t) {
        out = "error " + t;
      }
      System.out.println("= " + out.replace("\n", "\\n"));
      System.out.flush();
      if (c[0].equals("exit")) {
        return;
      }
    }
  }

  static String run(String cmd, String arg) throws Exception {
    if (cmd.equals("get")) {
      return String.valueOf(System.getenv(arg));
    }
    if (cmd.equals("mapget")) {
      return String.valueOf(System.getenv().get(arg));
    }
    if (cmd.equals("has")) {
      Map<String, String> env = System.getenv();
      boolean iterated = false;
      for (Map.Entry<String, String> e : env.entrySet()) {
        iterated |= e.getKey().equals(arg);
      }
      return env.containsKey(arg) + "/" + env.keySet().contains(arg) + "/" + iterated;
    }
    if (cmd.equals("size")) {
      return String.valueOf(System.getenv().size());
    }
    if (cmd.equals("keys")) {
      List<String> keys = new ArrayList<String>();
      for (String k : System.getenv().keySet()) {
        if (k.startsWith(arg)) {
          keys.add(k);
        }
      }
      Collections.sort(keys);
      return keys.toString();
    }
    if (cmd.equals("same")) {
      Map<String, String> a = System.getenv();
      return String.valueOf(a == System.getenv());
    }
    if (cmd.equals("readonly")) {
      try {
        System.getenv().put("X", "y");
        return "mutable";
      } catch (UnsupportedOperationException e) {
        return "readonly";
      }
    }
    if (cmd.equals("child")) {
      return read(new ProcessBuilder("sh", "-c", "printf %s \"$" + arg + "\"").start());
    }
    if (cmd.equals("childenv")) {
      ProcessBuilder pb = new ProcessBuilder("sh", "-c", "printf %s \"$" + arg + "\"");
      pb.environment().put("PROBE_EXTRA", "x");
      return read(pb.start());
    }
    if (cmd.equals("exec")) {
      return read(Runtime.getRuntime().exec(new String[] {"sh", "-c", "printf %s \"$" + arg + "\""}));
    }
    if (cmd.equals("execstr")) {
      return read(Runtime.getRuntime().exec("printenv " + arg));
    }
    if (cmd.equals("prop")) {
      return String.valueOf(System.getProperty(arg));
    }
    if (cmd.equals("boot")) {
      try {
        Class.forName(arg, false, null);
        return "visible";
      } catch (ClassNotFoundException e) {
        return "absent";
      }
    }
    if (cmd.equals("bytebuddy")) {
      Class<?> bb = Class.forName("net.bytebuddy.ByteBuddy");
      Object builder = bb.getMethod("subclass", Class.class).invoke(bb.newInstance(), Object.class);
      Object unloaded = method("net.bytebuddy.dynamic.DynamicType$Builder", "make").invoke(builder);
      Object loaded =
          Class.forName("net.bytebuddy.dynamic.DynamicType$Unloaded")
              .getMethod("load", ClassLoader.class)
              .invoke(unloaded, Probe.class.getClassLoader());
      Class<?> made = (Class<?>) method("net.bytebuddy.dynamic.DynamicType$Loaded", "getLoaded").invoke(loaded);
      return made.getSuperclass().getName()
          + " from "
          + bb.getProtectionDomain().getCodeSource().getLocation().getPath();
    }
    if (cmd.equals("exit")) {
      return "bye";
    }
    if (cmd.startsWith("cfg.")) {
      return ConfigProbe.run(cmd, arg);
    }
    return "unknown " + cmd;
  }

  private static Method method(String type, String name) throws Exception {
    return Class.forName(type).getMethod(name);
  }

  private static String read(Process p) throws Exception {
    InputStream in = p.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int r;
    while ((r = in.read(buf)) >= 0) {
      out.write(buf, 0, r);
    }
    p.waitFor();
    return new String(out.toByteArray(), "UTF-8").trim();
  }
}
