package io.baoinjector.agent.bootstrap;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What {@code System.getenv()} returns with the agent: the JDK's own unmodifiable environment map
 * with the managed names laid over it.
 *
 * <p>One instance serves the whole JVM (Spring Boot checks {@code source == System.getenv()}).
 * {@link #get} and {@link #containsKey} read the live snapshot directly; size and iteration go
 * through a merged copy rebuilt only when the snapshot changes, so the key set follows the managed
 * set as it grows or shrinks. Read-only, as the JDK's map is: every mutator throws {@link
 * UnsupportedOperationException}.
 */
public final class OverlayEnv extends AbstractMap<String, String> {
  private final Map<String, String> real;
  private final Set<Map.Entry<String, String>> entries = new Entries();
  private volatile View view;

  OverlayEnv(Map<String, String> real) {
    this.real = real;
  }

  /** The merged map for one snapshot; immutable. */
  private static final class View {
    final Map<String, String> managed;
    final Map<String, String> merged;

    View(Map<String, String> managed, Map<String, String> merged) {
      this.managed = managed;
      this.merged = merged;
    }
  }

  private Map<String, String> merged() {
    Map<String, String> managed = ManagedEnv.current();
    View v = view;
    if (v == null || v.managed != managed) {
      Map<String, String> m = new LinkedHashMap<String, String>(real);
      m.putAll(managed);
      v = new View(managed, Collections.unmodifiableMap(m));
      view = v;
    }
    return v.merged;
  }

  @Override
  public String get(Object key) {
    String managed = ManagedEnv.get(key);
    return managed != null ? managed : real.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return ManagedEnv.get(key) != null || real.containsKey(key);
  }

  @Override
  public int size() {
    return merged().size();
  }

  @Override
  public boolean isEmpty() {
    return merged().isEmpty();
  }

  @Override
  public Set<Map.Entry<String, String>> entrySet() {
    return entries;
  }

  /** A live view: each iteration walks the snapshot current when it starts. */
  private final class Entries extends AbstractSet<Map.Entry<String, String>> {
    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
      return merged().entrySet().iterator();
    }

    @Override
    public int size() {
      return merged().size();
    }
  }
}
