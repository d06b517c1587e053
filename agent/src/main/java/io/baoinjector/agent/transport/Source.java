package io.baoinjector.agent.transport;

import io.baoinjector.shared.wire.EnvDocument;
import java.io.IOException;

/** Where snapshots come from: the sidecar's socket or the files it renders. */
public interface Source {
  /**
   * Blocks until there is a snapshot newer than {@code last} (or, for a long-poll, until the server
   * answers), and returns it; {@code last == null} asks for the current one at once.
   */
  EnvDocument next(EnvDocument last) throws IOException, InterruptedException;

  /** The socket or file path, for messages. */
  String where();
}
