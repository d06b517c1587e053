package io.baoinjector.shared.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8Test {
  @ParameterizedTest
  @CsvSource({
    "'', ''",
    "'pw-é😀€', 'pw-é😀€'",
  })
  void decodesWellFormedInput(String text, String expected) throws Exception {
    assertEquals(expected, Utf8.decode(text.getBytes(StandardCharsets.UTF_8), "x"));
  }

  /** Each case: hex bytes after the 3-byte prefix "pw-", and the offset of the first bad byte. */
  @ParameterizedTest
  @CsvSource({
    "ff, 3", // never valid
    "c3, 3", // truncated two-byte sequence at the end
    "c328, 3", // bad continuation byte
    "c0af, 3", // overlong '/'
    "eda080, 3", // an encoded surrogate (CESU-8 style)
    "f4908080, 3", // above U+10FFFF
    "c3a9ff, 5", // after a valid 'é'
  })
  void rejectsMalformedInputNamingTheByteNotTheText(String hex, int offset) {
    byte[] tail = hex(hex);
    byte[] bytes = new byte[3 + tail.length];
    System.arraycopy("pw-".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 3);
    System.arraycopy(tail, 0, bytes, 3, tail.length);
    WireFormatException e =
        assertThrows(WireFormatException.class, () -> Utf8.decode(bytes, "http: body"));
    assertEquals("http: body: invalid UTF-8 at byte " + offset, e.getMessage());
  }

  @Test
  void lineOrientedTextNamesTheLine() throws Exception {
    byte[] bytes = "A='1'\nB='\u00e9x'\n".getBytes(StandardCharsets.UTF_8);
    assertEquals("A='1'\nB='éx'\n", Utf8.decodeLines(bytes, "dotenv"));
    bytes[9] = (byte) 0xff; // the second byte of 'é'
    WireFormatException e =
        assertThrows(WireFormatException.class, () -> Utf8.decodeLines(bytes, "dotenv"));
    assertEquals("dotenv line 2: invalid UTF-8", e.getMessage());
  }

  static byte[] hex(String hex) {
    byte[] b = new byte[hex.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }
}
