package io.baoinjector.sidecar.source;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The log as written (slf4j-simple writes to stderr), kept for a test's assertions and still shown:
 * register it with {@code @RegisterExtension}.
 */
final class StderrCapture implements BeforeEachCallback, AfterEachCallback {
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @Override
  public void beforeEach(ExtensionContext context) {
    originalErr = System.err;
    PrintStream both =
        new PrintStream(
            new OutputStream() {
              @Override
              public synchronized void write(int c) {
                captured.write(c);
                originalErr.write(c);
              }

              @Override
              public synchronized void write(byte[] b, int off, int len) {
                captured.write(b, off, len);
                originalErr.write(b, off, len);
              }
            },
            true,
            StandardCharsets.UTF_8);
    System.setErr(both);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.setErr(originalErr);
  }

  String log() {
    return captured.toString(StandardCharsets.UTF_8);
  }
}
