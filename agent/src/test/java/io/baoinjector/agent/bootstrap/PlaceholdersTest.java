package io.baoinjector.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The placeholder syntax and the registry, without instrumentation: the test calls the hooks the
 * rewritten {@code Properties} would call. Forked-JVM tests with the agent are in {@code it}.
 */
class PlaceholdersTest {
  @AfterEach
  void noSnapshot() {
    ManagedEnv.replace(Map.of());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "${bao:DB_PASSWORD}|pw",
        "jdbc:x://h/db?user=u&password=${bao:DB_PASSWORD}&ssl=1|jdbc:x://h/db?user=u&password=pw&ssl=1",
        "${bao:DB_PASSWORD}/${bao:DB_USER}|pw/app",
        "${DB_PASSWORD}|${DB_PASSWORD}",
        "${env:DB_PASSWORD} ${sys:x}|${env:DB_PASSWORD} ${sys:x}",
        "${bao:UNKNOWN}|${bao:UNKNOWN}",
        "${bao:UNKNOWN:-dflt}|dflt",
        "${bao:UNKNOWN:-}|''",
        "${bao:DB_PASSWORD:-dflt}|pw",
        "${bao:DB_PASSWORD|${bao:DB_PASSWORD",
        "$${bao:DB_USER}}|$app}",
      })
  void resolvesOnlyTheBaoPrefix(String template, String expected) {
    List<String> unknown = new ArrayList<>();
    Map<String, String> managed = Map.of("DB_PASSWORD", "pw", "DB_USER", "app");
    assertEquals(expected, Template.resolve(template, managed, true, unknown::add));
    assertEquals(template.equals("${bao:UNKNOWN}") ? List.of("UNKNOWN") : List.of(), unknown);
  }

  @Test
  void beforeTheFirstSnapshotTheRealEnvironmentFillsInAndNothingIsUnknown() {
    List<String> unknown = new ArrayList<>();
    String path = System.getenv("PATH");
    assertEquals(path, Template.resolve("${bao:PATH}", Map.of(), false, unknown::add));
    assertEquals("${bao:NOT_SET_X}", Template.resolve("${bao:NOT_SET_X}", Map.of(), false, null));
    assertEquals(List.of(), unknown);
  }

  private static Properties load(String text) throws Exception {
    Properties p = new Properties();
    p.load(new StringReader(text));
    Hooks.propertiesLoaded(p); // what the rewritten load() does before returning
    return p;
  }

  private static String stored(Properties p) throws Exception {
    StringWriter w = new StringWriter();
    Hooks.forOutput(p, null).store(w, null);
    return w.toString();
  }

  @Test
  void aLoadedObjectFollowsEverySnapshotAndStoresThePlaceholder() throws Exception {
    ManagedEnv.replace(Map.of("DB_PASSWORD", "canary-1"));
    Properties p = load("db.password=${bao:DB_PASSWORD}\ndb.url=jdbc:x\nother=${app.home}/x\n");
    assertEquals("canary-1", p.getProperty("db.password"));
    assertEquals("canary-1", p.get("db.password"), "the table itself holds the value");
    assertEquals("${app.home}/x", p.getProperty("other"));

    ManagedEnv.replace(Map.of("DB_PASSWORD", "canary-2"));
    assertEquals("canary-2", p.getProperty("db.password"), "live after a rotation");

    String out = stored(p);
    assertTrue(out.contains("db.password=${bao\\:DB_PASSWORD}"), out);
    assertFalse(out.contains("canary"), out);
    assertEquals("canary-2", p.getProperty("db.password"), "storing changes nothing");

    ManagedEnv.replace(Map.of());
    assertEquals("${bao:DB_PASSWORD}", p.getProperty("db.password"), "a name that leaves");
  }

  @Test
  void aPlainObjectIsNotRegisteredAndStoresItself() throws Exception {
    Properties p = load("a=b\n");
    assertSame(p, Hooks.forOutput(p, null));
  }

  @Test
  void aValueTheApplicationSetsIsItsOwn() throws Exception {
    ManagedEnv.replace(Map.of("DB_PASSWORD", "canary-1"));
    Properties p = load("db.password=${bao:DB_PASSWORD}\n");
    p.setProperty("db.password", "mine");
    ManagedEnv.replace(Map.of("DB_PASSWORD", "canary-2"));
    assertEquals("mine", p.getProperty("db.password"));
    assertTrue(stored(p).contains("db.password=mine"));
  }

  @Test
  void aBundleTableCopiedFromTheLoadFollowsToo() throws Exception {
    ManagedEnv.replace(Map.of("DB_PASSWORD", "canary-1"));
    Properties p = load("db.password=${bao:DB_PASSWORD}\nplain=x\n");
    // PropertyResourceBundle: lookup = new HashMap(properties), then the constructor returns
    Map<Object, Object> lookup = new HashMap<>(p);
    Hooks.bundleLoaded(lookup);
    ManagedEnv.replace(Map.of("DB_PASSWORD", "canary-2"));
    assertEquals("canary-2", lookup.get("db.password"));
    assertEquals("x", lookup.get("plain"));

    Map<Object, Object> unrelated = new HashMap<>(Map.of("db.password", "canary-2"));
    Hooks.bundleLoaded(unrelated);
    ManagedEnv.replace(Map.of("DB_PASSWORD", "canary-3"));
    assertEquals("canary-2", unrelated.get("db.password"), "only the copy of the last load");
  }

  @Test
  void listWritesThePlaceholderAndKeepsTheDefaults() throws Exception {
    ManagedEnv.replace(Map.of("DB_PASSWORD", "canary-1"));
    Properties defaults = new Properties();
    defaults.setProperty("d", "default-value");
    Properties p = new Properties(defaults);
    p.load(new StringReader("db.password=${bao:DB_PASSWORD}\n"));
    Hooks.propertiesLoaded(p);
    StringWriter w = new StringWriter();
    Hooks.forOutput(p, defaults).list(new java.io.PrintWriter(w));
    assertTrue(w.toString().contains("db.password=${bao:DB_PASSWORD}"), w.toString());
    assertTrue(w.toString().contains("d=default-value"), w.toString());
    assertFalse(w.toString().contains("canary"));
  }

  /**
   * Loads on several threads racing snapshot swaps: no deadlock (the timeout), and every object
   * ends on the last snapshot — a load that resolved against an older one is not left behind.
   */
  @Test
  @Timeout(60)
  void loadsRacingSwapsEndOnTheLastSnapshot() throws Exception {
    List<Properties> loaded = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 300; i++) {
                    Properties p = new Properties();
                    synchronized (p) { // as the JDK's synchronized load() holds it for the hook
                      p.load(new StringReader("k=${bao:V}\nplain=x\n"));
                      Hooks.propertiesLoaded(p);
                    }
                    loaded.add(p);
                  }
                } catch (Throwable e) {
                  errors.add(e);
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (int i = 0; i < 300; i++) {
      ManagedEnv.replace(Map.of("V", "canary-" + i));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(List.of(), errors);
    assertEquals(1200, loaded.size());
    for (Properties p : loaded) {
      assertEquals("canary-299", p.getProperty("k"));
    }
  }
}
