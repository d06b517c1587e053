package io.baoinjector.bench;

import org.openjdk.jmh.annotations.Fork;

/** The same lookups with the agent reading {@code target/bench.env} (paths relative to bench/). */
@Fork(
    value = 1,
    jvmArgsAppend = "-javaagent:../agent/target/bao-injector-agent.jar=file=target/bench.env")
public class WithAgent extends GetenvBenchmark {
  @Override
  void checkPlaceholder(String value) {
    if (!"bench-managed-value".equals(value)) {
      throw new IllegalStateException("the agent did not resolve ${bao:DB_PASSWORD}");
    }
  }
}
