package io.baoinjector.sidecar.util;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traps process signals so {@code exec} can forward them to its child.
 *
 * <p>Java has no public API for signals. {@code sun.misc.Signal} (module {@code jdk.unsupported},
 * exported and present in every OpenJDK build since 6) is what the JVM itself uses for its shutdown
 * hooks; we reach it reflectively so the build carries no internal-API warning and a JVM without it
 * degrades to the shutdown hook (SIGTERM and SIGINT still stop the child, SIGHUP is then not
 * forwarded). Handling TERM/INT here replaces the JVM's default "run shutdown hooks and exit": the
 * sidecar stays up until the child has exited, then exits with the child's code.
 *
 * <p>SIGQUIT cannot be trapped: HotSpot keeps it for thread dumps ({@code JVM_RegisterSignal}
 * refuses it), so it never reaches the child; bin/bao-injector sends that dump to a file, not to
 * the stdout the child shares (see docs/outputs.md).
 */
public final class Signals {
  private static final Logger log = LoggerFactory.getLogger(Signals.class);

  /** SIGUSR2 on Linux: HotSpot's default thread suspend/resume signal. */
  public static final int SIGUSR2 = 12;

  private Signals() {}

  /**
   * The signal HotSpot suspends and resumes threads with in this JVM: {@code _JAVA_SR_SIGNUM} when
   * it is one HotSpot accepts (above SIGSEGV, below NSIG: 12 to 64 on Linux), else SIGUSR2. As
   * HotSpot, reads the leading digits only ({@code strtol}).
   */
  public static int hotSpotSuspendResumeSignal() {
    return suspendResumeSignal(System.getenv("_JAVA_SR_SIGNUM"));
  }

  static int suspendResumeSignal(String env) {
    if (env == null) {
      return SIGUSR2;
    }
    String t = env.strip();
    int end = 0;
    while (end < t.length() && end < 9 && Character.isDigit(t.charAt(end))) {
      end++;
    }
    if (end == 0) {
      return SIGUSR2;
    }
    int n = Integer.parseInt(t.substring(0, end));
    return n > 11 && n < 65 ? n : SIGUSR2;
  }

  /** Installs {@code handler} for each name (TERM, INT, HUP); returns false if unsupported. */
  public static boolean trap(Consumer<String> handler, String... names) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Constructor<?> ctor = signal.getConstructor(String.class);
      Method handle = signal.getMethod("handle", signal, handlerType);
      Method getName = signal.getMethod("getName");
      Object proxy =
          Proxy.newProxyInstance(
              Signals.class.getClassLoader(),
              new Class<?>[] {handlerType},
              (p, m, args) -> {
                if (m.getName().equals("handle") && args != null && args.length == 1) {
                  handler.accept((String) getName.invoke(args[0]));
                  return null;
                }
                if (m.getName().equals("toString")) {
                  return "bao-injector signal forwarder";
                }
                if (m.getName().equals("hashCode")) {
                  return System.identityHashCode(p);
                }
                if (m.getName().equals("equals")) {
                  return p == args[0];
                }
                return null;
              });
      for (String name : names) {
        handle.invoke(null, ctor.newInstance(name), proxy);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      log.warn(
          "cannot trap signals on this JVM ({}); SIGHUP will not be forwarded to the child",
          e.toString());
      return false;
    }
  }
}
