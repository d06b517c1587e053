package io.baoinjector.sidecar.output.file;

import io.baoinjector.sidecar.snapshot.Snapshot;
import java.io.IOException;

/** Turns a snapshot into the exact bytes of one file. */
interface Renderer {
  /**
   * @throws IOException naming the config key and what is missing (never a value)
   */
  byte[] render(Snapshot snapshot) throws IOException;
}
