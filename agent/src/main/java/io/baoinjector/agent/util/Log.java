package io.baoinjector.agent.util;

/** One-line messages on the application's stderr; never a value, never a stack trace. */
public final class Log {
  private Log() {}

  public static void line(String message) {
    System.err.println("bao-injector agent: " + message);
  }

  /** A short reason for an exception: its type and message, which our code keeps free of values. */
  public static String reason(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isEmpty() ? t.getClass().getSimpleName() : m;
  }
}
