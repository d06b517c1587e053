package io.baoinjector.sidecar.output.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.config.OutputSettings;
import io.baoinjector.sidecar.config.OutputSettings.Format;
import io.baoinjector.sidecar.metrics.Metrics;
import io.baoinjector.sidecar.output.Modes;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.testkit.Await;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FileOutputTest {
  static final String CANARY = "canary-Fx81-S3CRET";
  static final Path SHM = Paths.get("/dev/shm");

  @TempDir Path diskDir;
  Path dir;
  Metrics metrics = new Metrics();
  List<FileOutput> outputs = new ArrayList<>();
  long revision;

  @BeforeEach
  void tmpfs() throws IOException {
    assertEquals(
        "tmpfs", Files.getFileStore(SHM).type(), "tests need /dev/shm on tmpfs for file outputs");
    dir = Files.createTempDirectory(SHM, "bi-file-test");
  }

  @AfterEach
  void cleanup() throws IOException {
    outputs.forEach(FileOutput::stop);
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static OutputSettings.FileSpec spec(Path path, Format f, List<String> names, String name) {
    return new OutputSettings.FileSpec(
        path, f, names, name, null, 0400, null, null, false, List.of(), null);
  }

  static OutputSettings.FileSpec withTemplate(Path path, Path template) {
    return new OutputSettings.FileSpec(
        path, Format.TEMPLATE, null, null, template, 0400, null, null, false, List.of(), null);
  }

  /** A dotenv file of {@code names} (null: every name) that runs {@code onChange} on a rewrite. */
  static OutputSettings.FileSpec withOnChange(
      Path path, List<String> names, List<String> onChange, Duration timeout) {
    return new OutputSettings.FileSpec(
        path, Format.DOTENV, names, null, null, 0400, null, null, false, onChange, timeout);
  }

  FileOutput started(OutputSettings.FileSpec spec) throws IOException {
    FileOutput o = new FileOutput(0, spec, metrics);
    o.start();
    outputs.add(o);
    return o;
  }

  Snapshot snap(Map<String, String> values, Map<String, String> props) {
    return new Snapshot(
        "i", ++revision, entries(values), entries(props), Set.of(), false, true, Instant.now());
  }

  private static final AtomicInteger REVISIONS = new AtomicInteger();

  /** A ready snapshot of {@code values}, no properties, for the other tests of this package. */
  static Snapshot snapshot(Map<String, String> values) {
    return new Snapshot(
        "i",
        REVISIONS.incrementAndGet(),
        entries(values),
        Map.of(),
        Set.of(),
        false,
        true,
        Instant.now());
  }

  static Map<String, Snapshot.Entry> entries(Map<String, String> m) {
    Map<String, Snapshot.Entry> out = new LinkedHashMap<>();
    m.forEach(
        (k, v) ->
            out.put(k, new Snapshot.Entry(SecretValue.of(v), 1, "secret/x#" + k, Instant.now())));
    return out;
  }

  static Map<String, String> map(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  @Test
  void dotenvIsExactAndBashSourcesIt() throws Exception {
    Path f = dir.resolve("app.env");
    FileOutput o = started(spec(f, Format.DOTENV, null, null));
    Map<String, String> v =
        map("DB_USER", "app", "DB_PASSWORD", "it's $HOME `x` \\n\nline2 ✓", "bad-name", "x");
    assertTrue(o.render(snap(v, map("spring.x", "y"))));
    assertEquals("DB_USER='app'\nDB_PASSWORD='it'\\''s $HOME `x` \\n\nline2 ✓'\n", read(f));
    assertEquals(0400, Modes.mode(Files.getPosixFilePermissions(f)));
    Process p =
        new ProcessBuilder(
                "bash",
                "-c",
                "set -a; . \"$1\"; printf '%s\\0%s\\0' \"$DB_USER\" \"$DB_PASSWORD\"",
                "_",
                f.toString())
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor());
    assertEquals("app\0" + v.get("DB_PASSWORD") + "\0", out);
    assertTrue(o.ready());
  }

  @Test
  void propertiesUsesJavaUtilPropertiesEscapingOfThePropertiesSection() throws Exception {
    Path f = dir.resolve("app.properties");
    FileOutput o = started(spec(f, Format.PROPERTIES, null, null));
    Map<String, String> props =
        map("spring.datasource.password", "p=a:s#s!w\\d ✓", "a key", " lead");
    o.render(snap(map("DB_USER", "app"), props));
    String text = Files.readString(f, StandardCharsets.ISO_8859_1);
    assertEquals(
        "spring.datasource.password=p\\=a\\:s\\#s\\!w\\\\d \\u2713\na\\ key=\\ lead\n", text);
    Properties back = new Properties();
    back.load(new StringReader(text));
    assertEquals(
        props,
        new LinkedHashMap<>(
            Map.of(
                "spring.datasource.password", back.getProperty("spring.datasource.password"),
                "a key", back.getProperty("a key"))));
  }

  @Test
  void propertiesWithNamesPicksValuesToo() throws Exception {
    Path f = dir.resolve("picked.properties");
    FileOutput o = started(spec(f, Format.PROPERTIES, List.of("DB_USER", "p.q"), null));
    o.render(snap(map("DB_USER", "app", "OTHER", "no"), map("p.q", "v")));
    assertEquals("DB_USER=app\np.q=v\n", read(f));
  }

  @Test
  void jsonIsOneFlatObjectAndPythonReadsIt() throws Exception {
    Path f = dir.resolve("config.json");
    FileOutput o = started(spec(f, Format.JSON, List.of("A", "B"), null));
    o.render(snap(map("A", "it's \\ \"q\" \r\n✓", "B", "", "C", "unused"), Map.of()));
    assertEquals("{\n  \"A\" : \"it's \\\\ \\\"q\\\" \\r\\n✓\",\n  \"B\" : \"\"\n}\n", read(f));
    Process p =
        new ProcessBuilder(
                "python3",
                "-c",
                "import json,sys; d=json.load(open(sys.argv[1],encoding='utf-8'));"
                    + " sys.stdout.buffer.write(d['A'].encode('utf-8')+b'\\0'+str(len(d)).encode())",
                f.toString())
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor());
    assertEquals("it's \\ \"q\" \r\n✓\u00002", out);
  }

  @Test
  void rawIsTheExactBytesOfOneValue() throws Exception {
    Path f = dir.resolve("db-password");
    FileOutput o = started(spec(f, Format.RAW, null, "P"));
    o.render(snap(map("P", "x\ny ✓\n", "Q", "z"), Map.of()));
    assertArrayEquals("x\ny ✓\n".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(f));
  }

  @Test
  void templateRendersValuesAndPropertiesWithoutHtmlEscaping() throws Exception {
    Path t = dir.resolve("config.tmpl");
    Files.writeString(
        t, "url=jdbc:x?u={{DB_USER}}&p={{DB_PASSWORD}}\nprop={{spring.datasource.password}}\n");
    Path f = dir.resolve("config.txt");
    FileOutput o = started(withTemplate(f, t));
    o.render(
        snap(
            map("DB_USER", "a<b>&\"", "DB_PASSWORD", "p'w"),
            map("spring.datasource.password", "s&p")));
    assertEquals("url=jdbc:x?u=a<b>&\"&p=p'w\nprop=s&p\n", read(f));
  }

  @Test
  void templateNamingAnUnknownVariableFailsNamingIt() throws Exception {
    Path t = dir.resolve("bad.tmpl");
    Files.writeString(t, "x={{NOPE}}");
    FileOutput o = started(withTemplate(dir.resolve("o.txt"), t));
    IOException e =
        assertThrows(IOException.class, () -> o.render(snap(map("A", CANARY), Map.of())));
    assertEquals(
        "outputs.files[0].template: {{NOPE}} names no mapped value (add it to secrets: or"
            + " properties:)",
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("o.txt")));
  }

  @Test
  void unknownNameAndNulFailWithoutShowingValues() throws Exception {
    FileOutput o = started(spec(dir.resolve("a.env"), Format.DOTENV, List.of("X"), null));
    IOException e = assertThrows(IOException.class, () -> o.render(snap(map("A", "1"), Map.of())));
    assertEquals(
        "outputs.files[0].names: 'X' is not a mapped name (add it to secrets: or properties:)",
        e.getMessage());
    FileOutput n = started(spec(dir.resolve("b.env"), Format.DOTENV, null, null));
    e = assertThrows(IOException.class, () -> n.render(snap(map("K", CANARY + "\0"), Map.of())));
    assertTrue(e.getMessage().contains("K: value contains a NUL"), e.getMessage());
    assertFalse(e.getMessage().contains(CANARY));
  }

  @Test
  void destinationsOffTmpfsDotDotAndMissingDirsAreRefusedAtStart() throws Exception {
    IOException e =
        assertThrows(
            IOException.class,
            () -> started(spec(diskDir.resolve("a.env"), Format.DOTENV, null, null)));
    assertEquals(
        "outputs.files[0].path: "
            + diskDir.toRealPath()
            + " is on ext4, not tmpfs, so secrets would reach the disk; mount a tmpfs there or set"
            + " outputs.files[0].allow-disk: true",
        e.getMessage().replace(" on " + Files.getFileStore(diskDir).type() + ",", " on ext4,"));

    // a symlink on tmpfs pointing at a disk directory is judged by where it points
    Path link = Files.createSymbolicLink(dir.resolve("link"), diskDir);
    e =
        assertThrows(
            IOException.class,
            () -> started(spec(link.resolve("a.env"), Format.DOTENV, null, null)));
    assertTrue(e.getMessage().contains("not tmpfs"), e.getMessage());

    e =
        assertThrows(
            IOException.class,
            () -> started(spec(dir.resolve("x/../a.env"), Format.DOTENV, null, null)));
    assertEquals(
        "outputs.files[0].path: "
            + dir.resolve("x/../a.env")
            + " has a '..' segment; write the path without it",
        e.getMessage());

    e =
        assertThrows(
            IOException.class,
            () -> started(spec(dir.resolve("missing/a.env"), Format.DOTENV, null, null)));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

    // allow-disk: true accepts it
    FileOutput ok =
        started(
            new OutputSettings.FileSpec(
                diskDir.resolve("a.env"),
                Format.DOTENV,
                null,
                null,
                null,
                0400,
                null,
                null,
                true,
                List.of(),
                null));
    ok.render(snap(map("A", "1"), Map.of()));
    assertEquals("A='1'\n", read(diskDir.resolve("a.env")));
  }

  @Test
  void startupTestWriteLeavesNothingAndOwnerIsSet() throws Exception {
    Path f = dir.resolve("owned.env");
    FileOutput o =
        started(
            new OutputSettings.FileSpec(
                f, Format.DOTENV, null, null, null, 0440, 65534, 65534, false, List.of(), null));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(0, s.count(), "the test write leaves no file");
    }
    o.render(snap(map("A", "1"), Map.of()));
    assertEquals(65534, Files.getAttribute(f, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    assertEquals(65534, Files.getAttribute(f, "unix:gid", LinkOption.NOFOLLOW_LINKS));
    assertEquals(0440, Modes.mode(Files.getPosixFilePermissions(f)));
  }

  @Test
  void rewritesOnlyWhenAUsedValueChangedThenRunsOnChange() throws Exception {
    Path f = dir.resolve("a.env");
    Path marker = dir.resolve("marker");
    FileOutput o =
        started(
            withOnChange(
                f,
                List.of("A"),
                List.of("sh", "-c", "echo run >> \"$0\"", marker.toString()),
                Duration.ofSeconds(30)));
    assertTrue(o.render(snap(map("A", "1", "B", "x"), Map.of())));
    Object inode = Files.getAttribute(f, "unix:ino");
    assertFalse(o.render(snap(map("A", "1", "B", "changed"), Map.of())), "B is not used");
    assertEquals(inode, Files.getAttribute(f, "unix:ino"), "not rewritten");
    assertTrue(o.render(snap(map("A", "2", "B", "changed"), Map.of())));
    assertEquals("A='2'\n", read(f));
    awaitLines(marker, 1);
    assertTrue(o.render(snap(map("A", "3"), Map.of())));
    awaitLines(marker, 2);
  }

  @Test
  void aHangingOnChangeIsKilledAndNeverBlocksRendering() throws Exception {
    Path f = dir.resolve("a.env");
    Path marker = dir.resolve("marker");
    FileOutput o =
        started(
            withOnChange(
                f,
                null,
                List.of("sh", "-c", "echo run >> \"$0\"; sleep 600", marker.toString()),
                Duration.ofMillis(300)));
    o.render(snap(map("A", "1"), Map.of()));
    o.render(snap(map("A", "2"), Map.of()));
    o.render(snap(map("A", "3"), Map.of())); // queued behind the hanging one
    assertEquals("A='3'\n", read(f), "renders did not wait for the hook");
    awaitLines(marker, 2); // the first run was killed at its timeout, so the second ran
  }

  static void awaitLines(Path p, int n) throws Exception {
    Await.until(
        Duration.ofSeconds(120),
        () -> "on-change never ran " + n + " times",
        () -> Files.exists(p) && Files.readAllLines(p).size() >= n);
  }

  @Test
  void rendersFromTheHubOnItsOwnThreadAndBecomesReady() throws Exception {
    Path f = dir.resolve("hub.env");
    FileOutput o = started(spec(f, Format.DOTENV, null, null));
    SnapshotHub hub = new SnapshotHub("i", java.time.Clock.systemUTC());
    hub.addListener(o);
    hub.publish(entries(map("A", "1")), Map.of(), Set.of("A"), false, false);
    assertFalse(o.ready(), "not ready snapshots are not rendered");
    hub.publish(entries(map("A", "1")), Map.of(), Set.of(), false, true);
    Await.until(Duration.ofSeconds(60), () -> "never rendered", o::ready);
    assertEquals("A='1'\n", read(f));
    assertTrue(
        metrics
                .scrape()
                .contains("bao_injector_file_renders_total{outcome=\"ok\",path=\"" + f + "\"} 1")
            || metrics
                .scrape()
                .contains("bao_injector_file_renders_total{path=\"" + f + "\",outcome=\"ok\"} 1"),
        metrics.scrape());
  }

  @Test
  void aConcurrentReaderNeverSeesAPartialOrEmptyFileOver10000Renders() throws Exception {
    Path f = dir.resolve("race.env");
    FileOutput o = started(spec(f, Format.DOTENV, null, null));
    String big = "x".repeat(20_000);
    Snapshot a = snap(map("V", "a" + big), Map.of());
    Snapshot b = snap(map("V", "b" + big + big), Map.of());
    String ta = "V='a" + big + "'\n";
    String tb = "V='b" + big + big + "'\n";
    o.render(a);
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    List<String> bad = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              while (!done.get()) {
                try {
                  String s = Files.readString(f);
                  if (!s.equals(ta) && !s.equals(tb)) {
                    synchronized (bad) {
                      bad.add("length " + s.length());
                    }
                  }
                  reads.incrementAndGet();
                } catch (IOException e) {
                  synchronized (bad) {
                    bad.add(e.toString());
                  }
                }
              }
            });
    reader.start();
    int writes = 0;
    for (int i = 0; i < 10_000; i++) {
      if (o.render(i % 2 == 0 ? b : a)) {
        writes++;
      }
    }
    done.set(true);
    reader.join();
    assertEquals(10_000, writes, "every alternate snapshot is a change");
    assertTrue(reads.get() > 0);
    assertEquals(List.of(), bad);
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temp files left");
    }
  }
}
