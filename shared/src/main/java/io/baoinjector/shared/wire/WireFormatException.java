package io.baoinjector.shared.wire;

import java.io.IOException;

/** A response that is not valid HTTP/1.1 or JSON. The message never quotes the offending bytes. */
public final class WireFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public WireFormatException(String message) {
    super(message);
  }
}
