package io.baoinjector.shared.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding for everything that reaches the agent as bytes. {@code new String(bytes,
 * UTF_8)} turns malformed input into U+FFFD, so a corrupted secret would be handed to the
 * application as a different, valid-looking value; here it is an error instead.
 */
public final class Utf8 {
  private Utf8() {}

  /**
   * Decodes {@code bytes}, rejecting malformed sequences (including overlong forms and encoded
   * surrogates).
   *
   * @param what prefix of the error message, e.g. {@code "http"}
   * @throws WireFormatException {@code "<what>: invalid UTF-8 at byte N"}, never quoting the bytes
   */
  public static String decode(byte[] bytes, String what) throws WireFormatException {
    return decode(bytes, what, false);
  }

  /**
   * As {@link #decode(byte[], String)} for line-oriented text (dotenv, properties).
   *
   * @throws WireFormatException {@code "<what> line N: invalid UTF-8"}, as those parsers report
   */
  public static String decodeLines(byte[] bytes, String what) throws WireFormatException {
    return decode(bytes, what, true);
  }

  private static String decode(byte[] bytes, String what, boolean lines)
      throws WireFormatException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never yields more chars than bytes
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (!result.isError()) {
      out.flip();
      return out.toString();
    }
    int bad = in.position();
    if (!lines) {
      throw new WireFormatException(what + ": invalid UTF-8 at byte " + bad);
    }
    int line = 1;
    for (int i = 0; i < bad; i++) {
      line += bytes[i] == '\n' ? 1 : 0;
    }
    throw new WireFormatException(what + " line " + line + ": invalid UTF-8");
  }
}
