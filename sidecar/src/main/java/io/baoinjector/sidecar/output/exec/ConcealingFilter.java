package io.baoinjector.sidecar.output.exec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One child stream ({@code exec --mask}) on its way out: every byte that is part of a value is
 * replaced, each run of such bytes by one {@link #MARKER}. Where values overlap or touch, the whole
 * stretch is one marker, so the longest value wins and no piece of another shows.
 *
 * <p>A value can arrive split over any number of writes. Only the trailing bytes that could still
 * grow into a value are held back (at most the longest value's length minus one); everything before
 * them is written at once, in the same {@link #write} call. {@link #finish()} writes what is held
 * at end of stream. Not thread-safe: one filter per pump thread.
 */
final class ConcealingFilter {
  static final String MARKER_TEXT = "<concealed by bao-injector>";
  private static final byte[] MARKER = MARKER_TEXT.getBytes(StandardCharsets.UTF_8);

  private final OutputStream out;
  private ValueMask mask;
  private int state;
  private byte[] held = new byte[64];
  private boolean[] concealed = new boolean[64];
  private int heldLen;
  private byte[] buf = new byte[16384];
  private int bufLen;

  /** True while the last byte released was concealed: its run's marker is already out. */
  private boolean inMarker;

  ConcealingFilter(ValueMask mask, OutputStream out) {
    this.mask = Objects.requireNonNull(mask, "mask == null");
    this.out = Objects.requireNonNull(out, "out == null");
  }

  /** Filters {@code len} bytes and writes (and flushes) everything that need not be held. */
  void write(byte[] b, int off, int len) throws IOException {
    int end = off + len;
    int i = off;
    while (i < end) {
      if (heldLen == 0 && state == 0) {
        // the common case: a stretch of bytes none of which can start a value goes out as is
        int j = i;
        while (j < end && !mask.startsAValue(b[j])) {
          j++;
        }
        if (j > i) {
          append(b, i, j - i);
          inMarker = false;
          i = j;
          continue;
        }
      }
      feed(b[i++], false);
    }
    drain();
  }

  /**
   * Switches to a mask with more values (after a rotation). The held bytes are scanned again with
   * it; what was already written stays written.
   */
  void use(ValueMask next) throws IOException {
    if (next == mask) {
      return;
    }
    mask = next;
    state = 0;
    byte[] b = Arrays.copyOf(held, heldLen);
    boolean[] c = Arrays.copyOf(concealed, heldLen);
    heldLen = 0;
    for (int i = 0; i < b.length; i++) {
      feed(b[i], c[i]);
    }
    Arrays.fill(b, (byte) 0);
    drain();
  }

  /** End of stream: writes what was held back. */
  void finish() throws IOException {
    release(heldLen);
    Arrays.fill(held, (byte) 0); // it held pieces of values
    state = 0;
    drain();
  }

  /** How many bytes are held back now (tests). */
  int heldBack() {
    return heldLen;
  }

  private void feed(byte b, boolean alreadyConcealed) {
    state = mask.step(state, b);
    if (heldLen == held.length) {
      held = Arrays.copyOf(held, heldLen * 2);
      concealed = Arrays.copyOf(concealed, heldLen * 2);
    }
    held[heldLen] = b;
    concealed[heldLen] = alreadyConcealed;
    heldLen++;
    // every value ending here is a suffix of the longest one, so marking that one covers all
    int m = mask.matchLength(state);
    for (int i = heldLen - m; i < heldLen; i++) {
      concealed[i] = true;
    }
    int live = mask.liveLength(state);
    if (heldLen > live) {
      release(heldLen - live);
    }
  }

  private void release(int n) {
    for (int i = 0; i < n; i++) {
      if (concealed[i]) {
        if (!inMarker) {
          append(MARKER, 0, MARKER.length);
          inMarker = true;
        }
      } else {
        if (bufLen == buf.length) {
          buf = Arrays.copyOf(buf, bufLen * 2);
        }
        buf[bufLen++] = held[i];
        inMarker = false;
      }
    }
    int rest = heldLen - n;
    if (rest > 0) {
      System.arraycopy(held, n, held, 0, rest);
      System.arraycopy(concealed, n, concealed, 0, rest);
    }
    heldLen = rest;
  }

  private void append(byte[] b, int off, int len) {
    if (bufLen + len > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, bufLen + len));
    }
    System.arraycopy(b, off, buf, bufLen, len);
    bufLen += len;
  }

  private void drain() throws IOException {
    if (bufLen > 0) {
      out.write(buf, 0, bufLen);
      bufLen = 0;
    }
    out.flush();
  }
}
