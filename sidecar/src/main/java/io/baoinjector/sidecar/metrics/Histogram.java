package io.baoinjector.sidecar.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A histogram family with fixed buckets, one series per label set. */
final class Histogram {
  private final String name;
  private final String help;
  private final double[] bounds;
  private final Map<String, Series> series = new ConcurrentSkipListMap<>();

  Histogram(String name, String help, double[] bounds) {
    this.name = name;
    this.help = help;
    this.bounds = bounds.clone();
  }

  private final class Series {
    final String[] labels;
    final LongAdder[] buckets = new LongAdder[bounds.length];
    final LongAdder count = new LongAdder();
    final DoubleAdder sum = new DoubleAdder();

    Series(String[] labels) {
      this.labels = labels.clone();
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }
  }

  void observe(double value, String... labels) {
    Series s = series.computeIfAbsent(Family.labels(labels), k -> new Series(labels));
    for (int i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]) {
        s.buckets[i].increment();
      }
    }
    s.count.increment();
    s.sum.add(value);
  }

  void write(StringBuilder b) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(" histogram\n");
    for (Map.Entry<String, Series> e : series.entrySet()) {
      Series s = e.getValue();
      for (int i = 0; i < bounds.length; i++) {
        bucket(b, s, Family.number(bounds[i]), s.buckets[i].sum());
      }
      long count = s.count.sum();
      bucket(b, s, "+Inf", count);
      b.append(name).append("_sum").append(e.getKey()).append(' ');
      b.append(Family.number(s.sum.sum())).append('\n');
      b.append(name).append("_count").append(e.getKey()).append(' ').append(count).append('\n');
    }
  }

  private void bucket(StringBuilder b, Series s, String le, long n) {
    String[] kv = new String[s.labels.length + 2];
    System.arraycopy(s.labels, 0, kv, 0, s.labels.length);
    kv[kv.length - 2] = "le";
    kv[kv.length - 1] = le;
    b.append(name).append("_bucket").append(Family.labels(kv)).append(' ').append(n).append('\n');
  }
}
