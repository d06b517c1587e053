package io.baoinjector.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@code System.getenv} lookups; the two subclasses fork JVMs without and with the agent, so one
 * JMH run compares them. {@code bench/run.sh} sets {@code DB_PASSWORD} in the real environment (so
 * the no-agent baseline is a real hit too) and renders the agent's dotenv file where {@code
 * DB_PASSWORD} is managed. {@code HOME} is never managed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class GetenvBenchmark {
  // non-final so the JIT can't fold the names
  String managed = "DB_PASSWORD";
  String unmanaged = "HOME";

  @Benchmark
  public String getenvManaged() {
    return System.getenv(managed);
  }

  @Benchmark
  public String getenvUnmanaged() {
    return System.getenv(unmanaged);
  }

  @Benchmark
  public String mapGetManaged() {
    return System.getenv().get(managed);
  }

  @Benchmark
  public String mapGetUnmanaged() {
    return System.getenv().get(unmanaged);
  }
}
