package io.baoinjector.sidecar.output.exec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every value an {@code exec --mask} child has been given so far: values only accumulate, so a
 * child that still prints an old value after a rotation (or a restarted child's leftover output)
 * stays concealed. Values shorter than the minimum length are left out, since a mask that blanks
 * "5432" or "true" everywhere hides more than it protects; their names are logged, never them.
 */
final class MaskedValues {
  private static final Logger log = LoggerFactory.getLogger(MaskedValues.class);
  static final int DEFAULT_MIN_LENGTH = 6;

  private final int minLength;
  private final Set<String> values = new LinkedHashSet<>();
  private final Set<String> shortNames = new TreeSet<>();
  private volatile ValueMask mask = ValueMask.EMPTY;

  MaskedValues(int minLength) {
    if (minLength < 1) {
      throw new IllegalArgumentException("mask minimum length must be at least 1: " + minLength);
    }
    this.minLength = minLength;
  }

  /** Adds the values of {@code mapped} before a child is given them. */
  synchronized void add(Map<String, String> mapped) {
    boolean grew = false;
    List<String> newShort = new ArrayList<>();
    for (Map.Entry<String, String> e : mapped.entrySet()) {
      String v = e.getValue();
      if (v.codePointCount(0, v.length()) < minLength) {
        if (shortNames.add(e.getKey())) {
          newShort.add(e.getKey());
        }
      } else {
        grew |= values.add(v);
      }
    }
    if (!newShort.isEmpty()) {
      log.warn(
          "exec --mask: {} shorter than {} characters, not concealed in the child's output",
          String.join(", ", newShort),
          minLength);
    }
    if (grew) {
      List<byte[]> bytes = new ArrayList<>(values.size());
      for (String v : values) {
        bytes.add(v.getBytes(StandardCharsets.UTF_8));
      }
      mask = ValueMask.of(bytes);
    }
  }

  /** The mask with every value added so far. */
  ValueMask current() {
    return mask;
  }
}
