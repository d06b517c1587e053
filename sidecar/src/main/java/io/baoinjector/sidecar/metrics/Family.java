package io.baoinjector.sidecar.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;

/** A counter family: one value per label set, rendered in Prometheus text format. */
final class Family {
  private final String name;
  private final String help;
  private final Map<String, DoubleAdder> series = new ConcurrentSkipListMap<>();

  private Family(String name, String help) {
    this.name = name;
    this.help = help;
  }

  static Family counter(String name, String help) {
    return new Family(name, help);
  }

  void inc(double by, String... labels) {
    series.computeIfAbsent(labels(labels), k -> new DoubleAdder()).add(by);
  }

  /** The value of one series (tests), 0 when absent. */
  double get(String... labels) {
    DoubleAdder a = series.get(labels(labels));
    return a == null ? 0 : a.sum();
  }

  void write(StringBuilder b) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" counter\n");
    for (Map.Entry<String, DoubleAdder> e : series.entrySet()) {
      b.append(name).append(e.getKey()).append(' ').append(number(e.getValue().sum())).append('\n');
    }
  }

  /**
   * {@code {k="v",...}} with the exposition format's escaping of {@code \}, {@code "} and newline.
   */
  static String labels(String... kv) {
    if (kv.length == 0) {
      return "";
    }
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i + 1 < kv.length; i += 2) {
      if (i > 0) {
        b.append(',');
      }
      b.append(kv[i]).append("=\"");
      String v = String.valueOf(kv[i + 1]);
      for (int j = 0; j < v.length(); j++) {
        char c = v.charAt(j);
        if (c == '\\') {
          b.append("\\\\");
        } else if (c == '"') {
          b.append("\\\"");
        } else if (c == '\n') {
          b.append("\\n");
        } else {
          b.append(c);
        }
      }
      b.append('"');
    }
    return b.append('}').toString();
  }

  static String number(double v) {
    if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
