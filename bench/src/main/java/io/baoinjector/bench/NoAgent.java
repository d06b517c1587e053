package io.baoinjector.bench;

import org.openjdk.jmh.annotations.Fork;

/** Baseline: a plain JVM. */
@Fork(1)
public class NoAgent extends GetenvBenchmark {}
