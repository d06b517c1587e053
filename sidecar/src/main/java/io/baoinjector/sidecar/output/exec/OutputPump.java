package io.baoinjector.sidecar.output.exec;

import io.baoinjector.sidecar.util.Closing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies one child stream (stdout or stderr) through a {@link ConcealingFilter} to the sidecar's
 * own, as the bytes come: a read returns what the pipe has, and the filter writes all of it but a
 * possible value prefix. Ends at end of stream (flushing what was held) or when either side fails;
 * a failed write closes the child's pipe, so the child sees a broken pipe as it would have writing
 * to the sidecar's stream itself.
 */
final class OutputPump implements Runnable {
  private final InputStream in;
  private final OutputStream out;
  private final MaskedValues values;

  OutputPump(InputStream in, OutputStream out, MaskedValues values) {
    this.in = in;
    this.out = out;
    this.values = values;
  }

  @Override
  public void run() {
    ConcealingFilter filter = new ConcealingFilter(values.current(), out);
    byte[] buf = new byte[16384];
    try {
      int n;
      while ((n = in.read(buf)) != -1) {
        filter.use(values.current());
        filter.write(buf, 0, n);
      }
    } catch (IOException e) {
      // the pipe was closed under us (see ChildOutput) or our own stream failed
    } finally {
      try {
        filter.finish();
      } catch (IOException e) {
        // nowhere left to write to
      }
      Closing.quietly(in);
    }
  }
}
