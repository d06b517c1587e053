package io.baoinjector.sidecar.util;

import java.io.Closeable;
import java.io.IOException;

/** Closing where a failure to close leaves nothing to do: the stream or channel is done with. */
public final class Closing {
  private Closing() {}

  /**
   * Closes {@code c} (null: nothing), ignoring a failure: already closed, or the peer went first.
   */
  public static void quietly(Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException e) {
      // nothing left to do with it
    }
  }
}
