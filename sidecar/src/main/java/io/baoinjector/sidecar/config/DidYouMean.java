package io.baoinjector.sidecar.config;

import java.util.Collection;

/** Suggests the closest known word for a misspelt one. */
final class DidYouMean {
  private DidYouMean() {}

  /** The candidate nearest to {@code word}, or null when none is close enough to be a typo. */
  static String closest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String w = norm(word);
    for (String c : candidates) {
      int d = distance(w, norm(c));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    // a third of the word, at least 1, at most 3 edits: "adress" -> "address", not "role" -> "mode"
    int allowed = Math.max(1, Math.min(3, word.length() / 3));
    if (bestDistance <= allowed) {
      return best;
    }
    // a shortened or partial name: DB_PASS or PASSWORD for DB_PASSWORD
    if (word.length() >= 4) {
      for (String c : candidates) {
        if (norm(c).contains(w)) {
          return c;
        }
      }
    }
    return null;
  }

  /** Case and {@code _} versus {@code -} are never the typo that matters. */
  private static String norm(String s) {
    return s.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
