package io.baoinjector.bench;

import java.io.IOException;
import java.io.StringReader;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code System.getenv} lookups; the two subclasses fork JVMs without and with the agent, so one
 * JMH run compares them. {@code bench/jmh.sh} sets {@code DB_PASSWORD} in the real environment (so
 * the no-agent baseline is a real hit too) and renders the agent's dotenv file where {@code
 * DB_PASSWORD} is managed. {@code HOME} is never managed.
 *
 * <p>{@code getProperty*}: a {@code Properties} loaded with {@code load(Reader)} — {@code plain}
 * holds no placeholder, {@code withPlaceholder} holds {@code ${bao:DB_PASSWORD}} (which the agent
 * rewrites to the managed value; without the agent it is just the literal text).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class GetenvBenchmark {
  // non-final so the JIT can't fold the names
  String managed = "DB_PASSWORD";
  String unmanaged = "HOME";
  String propertyKey = "db.password";

  Properties plain;
  Properties withPlaceholder;

  private static final String FILE =
      "db.url=jdbc:postgresql://db/app\ndb.user=app\ndb.pool=10\napp.name=bench\n";

  @Setup
  public void loadProperties() throws IOException {
    plain = new Properties();
    plain.load(new StringReader(FILE + "db.password=a-literal-password\n"));
    withPlaceholder = new Properties();
    withPlaceholder.load(new StringReader(FILE + "db.password=${bao:DB_PASSWORD}\n"));
    checkPlaceholder(withPlaceholder.getProperty(propertyKey));
  }

  /** What {@code ${bao:DB_PASSWORD}} reads as; the agent's fork insists on the managed value. */
  void checkPlaceholder(String value) {}

  @Benchmark
  public String getPropertyPlain() {
    return plain.getProperty(propertyKey);
  }

  @Benchmark
  public String getPropertyPlaceholder() {
    return withPlaceholder.getProperty(propertyKey);
  }

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
