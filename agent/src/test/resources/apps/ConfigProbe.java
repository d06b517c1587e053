import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ResourceBundle;

/**
 * Probe's {@code cfg.*} commands: config files loaded the way legacy code does, with no agent API.
 * Arguments are space-separated; paths must not contain spaces.
 */
final class ConfigProbe {
  private static final Map<String, Properties> LOADED = new HashMap<String, Properties>();
  private static final Map<String, ClassLoader> BUNDLE_LOADERS = new HashMap<String, ClassLoader>();
  private static final List<String> SEEN = new ArrayList<String>();

  private ConfigProbe() {}

  static String run(String cmd, String arg) throws Exception {
    String[] a = arg.split(" ");
    if (cmd.equals("cfg.load")) { // cfg.load PATH [reader]: .xml via loadFromXML
      Properties p = new Properties();
      InputStream in = new FileInputStream(a[0]);
      try {
        if (a[0].endsWith(".xml")) {
          p.loadFromXML(in);
        } else if (a.length > 1 && a[1].equals("reader")) {
          Reader r = new InputStreamReader(in, "UTF-8");
          p.load(r);
        } else {
          p.load(in);
        }
      } finally {
        in.close();
      }
      LOADED.put(a[0], p);
      return "loaded " + p.size();
    }
    if (cmd.equals("cfg.get")) { // cfg.get PATH KEY
      return String.valueOf(props(a[0]).getProperty(a[1]));
    }
    if (cmd.equals("cfg.store")) { // cfg.store PATH|system KEY: the line store() writes for KEY
      StringWriter w = new StringWriter();
      props(a[0]).store(w, null);
      return line(w.toString(), a[1] + "=");
    }
    if (cmd.equals("cfg.storexml")) { // cfg.storexml PATH KEY
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      props(a[0]).storeToXML(out, null);
      return line(new String(out.toByteArray(), "UTF-8"), "key=\"" + a[1] + "\"");
    }
    if (cmd.equals("cfg.list")) { // cfg.list PATH KEY
      StringWriter w = new StringWriter();
      props(a[0]).list(new PrintWriter(w));
      return line(w.toString(), a[1] + "=");
    }
    if (cmd.equals("cfg.bundle")) { // cfg.bundle DIR BASENAME KEY, one class loader per DIR
      ClassLoader loader = BUNDLE_LOADERS.get(a[0]);
      if (loader == null) {
        loader = new URLClassLoader(new URL[] {new File(a[0]).toURI().toURL()}, null);
        BUNDLE_LOADERS.put(a[0], loader);
      }
      return ResourceBundle.getBundle(a[1], Locale.ROOT, loader).getString(a[2]);
    }
    if (cmd.equals("cfg.loop")) { // cfg.loop PATH KEY: a reader thread recording each new value
      final Properties p = props(a[0]);
      final String key = a[1];
      Thread t =
          new Thread(
              new Runnable() {
                @Override
                public void run() {
                  String last = null;
                  // bounded: at most 10 minutes; the test JVM ends long before
                  for (int i = 0; i < 600_000; i++) {
                    String v = String.valueOf(p.getProperty(key));
                    if (!v.equals(last)) {
                      synchronized (SEEN) {
                        SEEN.add(v);
                      }
                      last = v;
                    }
                    try {
                      Thread.sleep(1);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                }
              });
      t.setDaemon(true);
      t.start();
      return "looping";
    }
    if (cmd.equals("cfg.seen")) {
      synchronized (SEEN) {
        return SEEN.toString();
      }
    }
    return "unknown " + cmd;
  }

  private static Properties props(String path) {
    return path.equals("system") ? System.getProperties() : LOADED.get(path);
  }

  private static String line(String text, String marker) {
    for (String l : text.split("\n")) {
      if (l.contains(marker)) {
        return l.trim();
      }
    }
    return "no line with " + marker;
  }
}
