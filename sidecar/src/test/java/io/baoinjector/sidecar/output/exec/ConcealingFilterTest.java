package io.baoinjector.sidecar.output.exec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConcealingFilterTest {
  static final String M = ConcealingFilter.MARKER_TEXT;

  final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static ValueMask mask(String... values) {
    List<byte[]> v = new ArrayList<>();
    for (String s : values) {
      v.add(s.getBytes(UTF_8));
    }
    return ValueMask.of(v);
  }

  ConcealingFilter filter(String... values) {
    return new ConcealingFilter(mask(values), out);
  }

  static void write(ConcealingFilter f, String s) throws Exception {
    byte[] b = s.getBytes(UTF_8);
    f.write(b, 0, b.length);
  }

  String written() {
    return out.toString(UTF_8);
  }

  @Test
  void aValueIsReplacedAndTheRestPassesUnchanged() throws Exception {
    ConcealingFilter f = filter("hunter2-canary");
    write(f, "password=hunter2-canary; ok\n");
    assertEquals("password=" + M + "; ok\n", written(), "nothing held back after the value");
    assertEquals(0, f.heldBack());
  }

  @Test
  void aValueSplitAcrossWritesIsHeldOnlyWhileItCouldStillMatch() throws Exception {
    ConcealingFilter f = filter("hunter2-canary");
    write(f, "pw=hunter");
    assertEquals("pw=", written(), "only the bytes that could start the value are held");
    assertEquals(6, f.heldBack());
    write(f, "2-can");
    assertEquals("pw=", written());
    write(f, "ary!");
    assertEquals("pw=" + M + "!", written());
    write(f, "hunt");
    write(f, "ing\n");
    assertEquals("pw=" + M + "!hunting\n", written(), "a prefix that goes astray is released");
    assertEquals(0, f.heldBack());
  }

  @Test
  void textWithoutAnyValuePrefixIsNeverHeld() throws Exception {
    ConcealingFilter f = filter("s3cr3t-value");
    write(f, "ready\n");
    assertEquals("ready\n", written());
    assertEquals(0, f.heldBack());
  }

  @Test
  void endOfStreamReleasesWhatWasHeld() throws Exception {
    ConcealingFilter f = filter("s3cr3t-value");
    write(f, "tail s3cr3t");
    assertEquals("tail ", written());
    f.finish();
    assertEquals("tail s3cr3t", written());
  }

  @Test
  void theLongestOverlappingValueWinsAndTouchingValuesAreOneMarker() throws Exception {
    ConcealingFilter f = filter("secret", "secret123", "t12345");
    write(f, "a secret123 b secret c secretsecret d secret12345 e\n");
    assertEquals(
        "a " + M + " b " + M + " c " + M + " d " + M + " e\n",
        written(),
        "no piece of a longer or overlapping value shows");
  }

  @Test
  void aRotationAddsValuesToAStreamInFlight() throws Exception {
    ConcealingFilter f = filter("value-one-1");
    write(f, "x value-");
    assertEquals("x ", written());
    f.use(mask("value-one-1", "value-two-2"));
    write(f, "two-2 value-one-1\n");
    assertEquals("x " + M + " " + M + "\n", written(), "held bytes are scanned again");
  }

  @Test
  void multiByteUtf8ValuesMatchByteForByte() throws Exception {
    ConcealingFilter f = filter("pässwörd✓");
    byte[] b = "x pässwörd✓ y".getBytes(UTF_8);
    for (byte x : b) {
      f.write(new byte[] {x}, 0, 1); // one byte per write, splitting characters too
    }
    f.finish();
    assertEquals("x " + M + " y", written());
  }

  @Test
  void matchesAReferenceForRandomValuesTextAndSplits() throws Exception {
    Random rnd = new Random(13);
    for (int round = 0; round < 2000; round++) {
      int n = 1 + rnd.nextInt(5);
      List<byte[]> values = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        values.add(randomBytes(rnd, 1 + rnd.nextInt(6)));
      }
      byte[] text = randomBytes(rnd, rnd.nextInt(60));
      // odd rounds: the slower form used for masks too big for a full table
      ValueMask mask = ValueMask.of(values, round % 2 == 0 ? ValueMask.DENSE_LIMIT : 0);
      int longest = values.stream().mapToInt(v -> v.length).max().orElse(0);
      out.reset();
      ConcealingFilter f = new ConcealingFilter(mask, out);
      byte[] expected = reference(text, values);
      int at = 0;
      while (at < text.length) {
        int len = Math.min(text.length - at, 1 + rnd.nextInt(8));
        f.write(text, at, len);
        at += len;
        assertTrue(f.heldBack() <= longest - 1, "held back at most the longest value - 1");
        assertHeldIsAValuePrefix(text, at, f.heldBack(), values);
        assertTrue(startsWith(expected, out.toByteArray()), "round " + round + ": never undone");
        if (f.heldBack() == 0) {
          assertArrayEquals(reference(Arrays.copyOf(text, at), values), out.toByteArray());
        }
      }
      f.finish();
      assertArrayEquals(reference(text, values), out.toByteArray(), "round " + round);
    }
  }

  /** Over a 3-letter alphabet, so values overlap, repeat and share prefixes often. */
  static byte[] randomBytes(Random rnd, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + rnd.nextInt(3));
    }
    return b;
  }

  static void assertHeldIsAValuePrefix(byte[] text, int end, int held, List<byte[]> values) {
    if (held == 0) {
      return;
    }
    byte[] h = Arrays.copyOfRange(text, end - held, end);
    assertTrue(
        values.stream().anyMatch(v -> v.length > held && startsWith(v, h)),
        "what is held is a proper prefix of a value");
  }

  static boolean startsWith(byte[] a, byte[] prefix) {
    return a.length >= prefix.length
        && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
  }

  /**
   * The whole text at once: a byte is concealed when any occurrence of any value covers it; each
   * run of concealed bytes becomes one marker.
   */
  static byte[] reference(byte[] text, List<byte[]> values) {
    boolean[] c = new boolean[text.length];
    for (byte[] v : values) {
      for (int i = 0; i + v.length <= text.length; i++) {
        if (v.length > 0 && Arrays.equals(text, i, i + v.length, v, 0, v.length)) {
          Arrays.fill(c, i, i + v.length, true);
        }
      }
    }
    ByteArrayOutputStream r = new ByteArrayOutputStream();
    for (int i = 0; i < text.length; i++) {
      if (!c[i]) {
        r.write(text[i]);
      } else if (i == 0 || !c[i - 1]) {
        r.writeBytes(M.getBytes(UTF_8));
      }
    }
    return r.toByteArray();
  }
}
