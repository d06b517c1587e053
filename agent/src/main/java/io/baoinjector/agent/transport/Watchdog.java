package io.baoinjector.agent.transport;

import java.io.Closeable;
import java.io.IOException;

/**
 * Closes a socket whose exchange overran its deadline. Blocking Unix-domain {@code SocketChannel}s
 * have no read timeout, and a long-poll to a sidecar that hangs must not stall refreshes forever.
 */
final class Watchdog implements Runnable {
  private Closeable armed;
  private long deadlineNanos;

  static Watchdog start() {
    Watchdog w = new Watchdog();
    Thread t = new Thread(w, "bao-injector-agent-watchdog");
    t.setDaemon(true);
    t.start();
    return w;
  }

  synchronized void arm(Closeable target, long timeoutMillis) {
    armed = target;
    deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
    notifyAll();
  }

  synchronized void disarm() {
    armed = null;
  }

  @Override
  public synchronized void run() {
    while (true) {
      try {
        if (armed == null) {
          wait();
          continue;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
          wait(left / 1_000_000L + 1);
          continue;
        }
        try {
          armed.close();
        } catch (IOException ignored) {
          // the reader sees the close as an error and retries
        }
        armed = null;
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
