package io.baoinjector.sidecar.output.exec;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * An Aho-Corasick automaton over the UTF-8 bytes of the values {@code exec --mask} conceals:
 * immutable, shared by every pump, rebuilt when a value is added. {@link ConcealingFilter} runs it
 * over a stream.
 *
 * <p>Per state it keeps the two facts the filter needs: the longest value that ends here, and how
 * many trailing bytes could still grow into a value (the deepest suffix state that has a child).
 * Only those trailing bytes are ever held back, so at most {@code longest value - 1} bytes.
 *
 * <p>Transitions are a full table (one int per state and byte class, i.e. per distinct byte the
 * values use) up to {@link #DENSE_LIMIT}; beyond that, for many long values (PEM keys), trie edges
 * plus failure links: slower per byte, but linear in the values' total length.
 */
final class ValueMask {
  static final ValueMask EMPTY = of(java.util.List.of());

  /** Table cells (ints) a mask may use for the fast path: 16 MiB. */
  static final int DENSE_LIMIT = 4 << 20;

  /** For the root: the child per byte, or 0 (the root itself). */
  private final int[] rootNext = new int[256];

  /** Children of state s: labels/targets[edgeStart[s] .. edgeStart[s + 1]). */
  private final int[] edgeStart;

  private final byte[] labels;
  private final int[] targets;
  private final int[] fail;
  private final int[] matchLen;
  private final int[] live;
  private final int patterns;

  /** The full transition table, set once by {@link #of} when small enough; else null. */
  private int[] dense;

  private final int[] classOf = new int[256];
  private int classes;

  private ValueMask(
      int[] edgeStart,
      byte[] labels,
      int[] targets,
      int[] fail,
      int[] matchLen,
      int[] live,
      int patterns) {
    this.edgeStart = edgeStart;
    this.labels = labels;
    this.targets = targets;
    this.fail = fail;
    this.matchLen = matchLen;
    this.live = live;
    for (int e = edgeStart[0]; e < edgeStart[1]; e++) {
      rootNext[labels[e] & 0xff] = targets[e];
    }
    this.patterns = patterns;
  }

  /** Builds the automaton; empty patterns are ignored. */
  static ValueMask of(Collection<byte[]> values) {
    return of(values, DENSE_LIMIT);
  }

  /** With {@code denseLimit} 0, always the edge-and-failure-link form (tests). */
  static ValueMask of(Collection<byte[]> values, int denseLimit) {
    // trie: state 0 is the root; each other state has exactly one parent edge
    Map<Long, Integer> edges = new HashMap<>();
    int states = 1;
    int total = 1;
    for (byte[] v : values) {
      total += v.length;
    }
    int[] parent = new int[total];
    byte[] label = new byte[total];
    int[] depth = new int[total];
    boolean[] terminal = new boolean[total];
    for (byte[] v : values) {
      if (v.length == 0) {
        continue;
      }
      int s = 0;
      for (byte b : v) {
        long key = ((long) s << 8) | (b & 0xff);
        Integer t = edges.get(key);
        if (t == null) {
          t = states++;
          edges.put(key, t);
          parent[t] = s;
          label[t] = b;
          depth[t] = depth[s] + 1;
        }
        s = t;
      }
      terminal[s] = true;
    }
    // edges grouped by parent (CSR)
    int[] edgeStart = new int[states + 1];
    for (int t = 1; t < states; t++) {
      edgeStart[parent[t] + 1]++;
    }
    for (int s = 0; s < states; s++) {
      edgeStart[s + 1] += edgeStart[s];
    }
    byte[] labels = new byte[states - 1];
    int[] targets = new int[states - 1];
    int[] fill = Arrays.copyOf(edgeStart, states);
    for (int t = 1; t < states; t++) {
      int e = fill[parent[t]]++;
      labels[e] = label[t];
      targets[e] = t;
    }
    int[] fail = new int[states];
    int[] matchLen = new int[states];
    int[] live = new int[states];
    int patterns = 0;
    for (int s = 0; s < states; s++) {
      patterns += terminal[s] ? 1 : 0;
    }
    ValueMask m = new ValueMask(edgeStart, labels, targets, fail, matchLen, live, patterns);
    // breadth first, so a state's failure target is complete before the state itself
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(0);
    int[] order = new int[states];
    int visited = 0;
    while (!queue.isEmpty()) {
      int s = queue.poll();
      order[visited++] = s;
      if (s != 0) {
        int f = 0;
        if (parent[s] != 0) {
          f = m.step(fail[parent[s]], label[s]);
        }
        fail[s] = f;
        matchLen[s] = terminal[s] ? depth[s] : matchLen[f];
        live[s] = edgeStart[s + 1] > edgeStart[s] ? depth[s] : live[f];
      }
      for (int e = edgeStart[s]; e < edgeStart[s + 1]; e++) {
        queue.add(targets[e]);
      }
    }
    m.densify(order, denseLimit);
    return m;
  }

  private void densify(int[] order, int denseLimit) {
    classes = 1; // class 0: every byte no value contains
    for (byte b : labels) {
      if (classOf[b & 0xff] == 0) {
        classOf[b & 0xff] = classes++;
      }
    }
    int states = fail.length;
    if ((long) states * classes > denseLimit) {
      return;
    }
    int[] d = new int[states * classes];
    for (int s : order) {
      if (s != 0) {
        System.arraycopy(d, fail[s] * classes, d, s * classes, classes);
      }
      for (int e = edgeStart[s]; e < edgeStart[s + 1]; e++) {
        d[s * classes + classOf[labels[e] & 0xff]] = targets[e];
      }
    }
    dense = d;
  }

  /** The state after reading {@code b} in state {@code s}. */
  int step(int s, byte b) {
    if (dense != null) {
      return dense[s * classes + classOf[b & 0xff]];
    }
    while (s != 0) {
      for (int e = edgeStart[s]; e < edgeStart[s + 1]; e++) {
        if (labels[e] == b) {
          return targets[e];
        }
      }
      s = fail[s];
    }
    return rootNext[b & 0xff];
  }

  /** False when no value starts with {@code b}: from the root, it leads back to the root. */
  boolean startsAValue(byte b) {
    return rootNext[b & 0xff] != 0;
  }

  /** The length of the longest value that ends at state {@code s}, or 0. */
  int matchLength(int s) {
    return matchLen[s];
  }

  /** How many of the last bytes read (ending in state {@code s}) could still start a value. */
  int liveLength(int s) {
    return live[s];
  }

  /** How many distinct values it conceals. */
  int size() {
    return patterns;
  }
}
