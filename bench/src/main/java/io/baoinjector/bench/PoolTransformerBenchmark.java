package io.baoinjector.bench;

import java.lang.instrument.ClassFileTransformer;
import java.lang.reflect.Constructor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the {@code pools} transformer costs each class the JVM loads that is not HikariCP's pool:
 * the JVM calls it for every class once it is registered.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// the agent's classes are on the boot class path only with the agent loaded
@Fork(
    value = 1,
    jvmArgsAppend = "-javaagent:../agent/target/bao-injector-agent.jar=file=target/bench.env")
public class PoolTransformerBenchmark {
  ClassFileTransformer transformer;
  // non-final so the JIT can't fold them
  String otherClass = "org/springframework/context/support/AbstractApplicationContext";
  ClassLoader loader = PoolTransformerBenchmark.class.getClassLoader();
  byte[] bytes = new byte[16];

  @Setup
  public void setUp() throws Exception {
    Constructor<?> c =
        Class.forName("io.baoinjector.agent.install.PoolTransformer").getDeclaredConstructor();
    c.setAccessible(true);
    transformer = (ClassFileTransformer) c.newInstance();
  }

  @Benchmark
  public byte[] transformOtherClass() throws Exception {
    return transformer.transform(loader, otherClass, null, null, bytes);
  }
}
