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
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    // UTF-8 never yields more chars than bytes
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new WireFormatException(what + ": invalid UTF-8 at byte " + in.position());
    }
    out.flip();
    return out.toString();
  }
}
