package example;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A legacy app that knows nothing about OpenBao: it reads {@code DB_USER} and {@code DB_PASSWORD}
 * with {@code System.getenv}, as code written for {@code .env} files does, and prints what it sees
 * every few seconds. Run it with the bao-injector agent and a rotation in OpenBao shows up here
 * without a restart.
 *
 * <p>It prints a fingerprint of the password (first 8 hex digits of its SHA-256), never the
 * password, unless started with {@code --show-values} — which the demo does, because showing the
 * value is its point.
 *
 * <p>Options: {@code --show-values}, {@code --interval-ms N} (default 2000), {@code --iterations N}
 * (default: forever), {@code --child} (also ask a child process for {@code $DB_PASSWORD}).
 */
public final class LegacyApp {
  private LegacyApp() {}

  public static void main(String[] args) throws Exception {
    boolean show = false;
    boolean child = false;
    long intervalMs = 2000;
    long iterations = Long.MAX_VALUE;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--show-values")) {
        show = true;
      } else if (a.equals("--child")) {
        child = true;
      } else if (a.equals("--interval-ms") && i + 1 < args.length) {
        intervalMs = Long.parseLong(args[++i]);
      } else if (a.equals("--iterations") && i + 1 < args.length) {
        iterations = Long.parseLong(args[++i]);
      } else {
        System.err.println(
            "usage: legacy-app [--show-values] [--child] [--interval-ms N] [--iterations N]");
        System.exit(2);
      }
    }
    String last = null;
    for (long n = 0; n < iterations; n++) {
      if (n > 0) {
        Thread.sleep(intervalMs);
      }
      String user = System.getenv("DB_USER");
      String password = System.getenv("DB_PASSWORD");
      StringBuilder line = new StringBuilder("[legacy-app] DB_USER=").append(user);
      line.append(
          show ? " DB_PASSWORD=" + password : " DB_PASSWORD fingerprint " + fingerprint(password));
      if (last != null && !last.equals(String.valueOf(password))) {
        line.append("   <- changed, no restart");
      }
      if (child) {
        line.append(" | child process sees ")
            .append(show ? childValue() : fingerprint(childValue()));
      }
      System.out.println(line);
      System.out.flush();
      last = String.valueOf(password);
    }
  }

  /** What a child started without an explicit environment sees (it inherits ours). */
  private static String childValue() throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "printf %s \"$DB_PASSWORD\"").start();
    byte[] buf = new byte[4096];
    int n = 0;
    int r;
    java.io.InputStream in = p.getInputStream();
    while (n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0) {
      n += r;
    }
    p.waitFor();
    return new String(buf, 0, n, StandardCharsets.UTF_8);
  }

  static String fingerprint(String value) throws NoSuchAlgorithmException {
    if (value == null) {
      return "(unset)";
    }
    byte[] d = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      b.append(String.format("%02x", d[i] & 0xff));
    }
    return b.toString();
  }
}
