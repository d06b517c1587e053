package io.baoinjector.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What every fault scenario shares: an AppRole whose tokens live {@code ttl}, the real sidecar
 * process logged in with it (secret-id kept, so re-login works), an app-side {@link SecretReader}
 * on {@code DB_PASSWORD}, writes that tell the reader what OpenBao holds, and the figures line.
 */
public final class FaultRig implements AutoCloseable {
  public static final String NAME = "DB_PASSWORD";
  public static final String PATH = "app/db";
  private static final Pattern SAMPLE =
      Pattern.compile("^(bao_injector_[a-z_]+)(\\{[^}]*\\})? ([0-9.eE+-]+)$", Pattern.MULTILINE);

  /** Soak runs ({@code -Pfault-soak}) stretch each scenario to its full length. */
  public static final boolean SOAK = Boolean.getBoolean("fault.soak");

  private final Path work;
  private final TmpfsDir tmpfs = new TmpfsDir();
  private final Path config;
  private final AtomicInteger writes = new AtomicInteger();
  private final Map<Integer, String> pending = new java.util.concurrent.ConcurrentHashMap<>();
  private final long t0 = System.nanoTime();
  private SidecarProcess sidecar;
  private SecretReader reader;
  private final List<SecretReader> readers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private long peakRssKb;
  private long logLines;

  private FaultRig(Path work, Path config) {
    this.work = work;
    this.config = config;
  }

  /**
   * Creates role {@code fault} on {@code admin} (tokens of {@code ttl}, at most {@code maxTtl}),
   * reading {@code secret/app/db}, and a sidecar config pointing at {@code addresses}.
   */
  public static FaultRig create(
      Path work, OpenBao admin, List<String> addresses, String ttl, String maxTtl)
      throws IOException {
    admin.writePolicy(
        "fault-read",
        "path \"secret/data/app/*\" { capabilities = [\"read\"] }\n"
            + "path \"secret/metadata/app/*\" { capabilities = [\"read\"] }");
    OpenBao.AppRole role =
        admin.appRole(
            "fault",
            Map.of("token_policies", "fault-read", "token_ttl", ttl, "token_max_ttl", maxTtl));
    Files.createDirectories(work);
    Files.writeString(work.resolve("role-id"), role.roleId());
    Files.writeString(work.resolve("secret-id"), role.secretId());
    FaultRig rig = new FaultRig(work, work.resolve("sidecar.yaml"));
    String addr =
        addresses.stream().map(a -> "    - " + a).collect(Collectors.joining("\n", "\n", ""));
    Files.writeString(
        rig.config,
        """
        openbao:
          address:%s
        auth:
          method: approle
          role-id-file: %s
          secret-id-file: %s
          keep-secret-id-file: true
        secrets:
          %s: secret/%s#password
        refresh:
          interval: 1s
        outputs:
          socket:
            path: %s
        """
            .formatted(
                addr,
                work.resolve("role-id"),
                work.resolve("secret-id"),
                NAME,
                PATH,
                rig.socket()));
    return rig;
  }

  /** Paces a scenario (a rate, never a stand-in for an event: events are polled). */
  public static void pace(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Path socket() {
    return tmpfs.resolve("agent.sock");
  }

  /**
   * Writes a fresh value to OpenBao through {@code bao} and tells the reader; returns the version.
   */
  public int write(OpenBao bao) {
    String value = "canary-" + writes.incrementAndGet() + "-" + System.nanoTime();
    int v = bao.put(PATH, Map.of("password", value));
    for (SecretReader r : readers) {
      r.expect(v, value);
    }
    pending.put(v, value);
    return v;
  }

  /** Every value written so far, by KV version (a second reader checks against these). */
  public Map<Integer, String> written() {
    return Map.copyOf(pending);
  }

  /** Starts the sidecar, waits until ready, and starts the reader (once). */
  public SidecarProcess startSidecar() {
    sidecar = SidecarProcess.start(work, Map.of(), "run", "-c", config.toString());
    sidecar.awaitReady(socket());
    if (reader == null) {
      reader = addReader(Duration.ofMillis(150));
    }
    return sidecar;
  }

  /** Another app-side reader (load), told about every write like the first. */
  public SecretReader addReader(Duration period) {
    SecretReader r = SecretReader.start(socket(), NAME, period);
    pending.forEach(r::expect);
    readers.add(r);
    return r;
  }

  /** Restarts a killed sidecar on the same config (the old socket file is still there). */
  public SidecarProcess restartSidecar() {
    sidecar = SidecarProcess.start(work, Map.of(), "run", "-c", config.toString());
    return sidecar;
  }

  /** Waits up to 15 s for {@code version} to be served; fails with the sidecar's log tail. */
  public double awaitFresh(int version) {
    try {
      return reader.awaitVersion(version, Duration.ofSeconds(15));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + why(), e);
    }
  }

  public SidecarProcess sidecar() {
    return sidecar;
  }

  public SecretReader reader() {
    return reader;
  }

  /** The sum of a metric's samples whose labels contain every one of {@code labels}. */
  public double metric(String name, String... labels) {
    String text;
    try {
      text = UnixHttp.get(socket(), "/metrics").body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    double sum = 0;
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      if (!m.group(1).equals(name)) {
        continue;
      }
      String l = m.group(2) == null ? "" : m.group(2);
      boolean all = true;
      for (String want : labels) {
        all &= l.contains(want);
      }
      if (all) {
        sum += Double.parseDouble(m.group(3));
      }
    }
    return sum;
  }

  public double logins() {
    return metric("bao_injector_logins_total", "outcome=\"ok\"");
  }

  public double renewals() {
    return metric("bao_injector_renewals_total", "kind=\"token\"", "outcome=\"ok\"");
  }

  public double failedRenewals() {
    return metric("bao_injector_renewals_total", "kind=\"token\"", "outcome=\"error\"");
  }

  public double cpuSeconds() {
    return FaultFigures.cpuSeconds(sidecar.pid());
  }

  /** Samples the current sidecar's peak RSS (call before killing it). */
  public void sampleRss() {
    if (sidecar != null && sidecar.isAlive()) {
      peakRssKb = Math.max(peakRssKb, FaultFigures.peakRssKb(sidecar.pid()));
    }
  }

  /** SIGKILLs the sidecar, keeping its figures. */
  public void killSidecar() {
    sampleRss();
    sidecar.kill();
    logLines += lines(sidecar);
    oldLogs.append(sidecar.stderr()).append(sidecar.stdout());
  }

  private final StringBuilder oldLogs = new StringBuilder();

  /** Every value written is a canary: none may reach any sidecar's output. */
  public void assertNoValueInLogs() {
    String all = oldLogs + (sidecar == null ? "" : sidecar.stderr() + sidecar.stdout());
    if (all.contains("canary-")) {
      throw new AssertionError("a secret value reached the sidecar's log");
    }
  }

  private static long lines(SidecarProcess p) {
    return FaultFigures.lines(p.stderr()) + FaultFigures.lines(p.stdout());
  }

  /** The figures every scenario reports, ready for extra keys. */
  public FaultFigures figures(String scenario) {
    sampleRss();
    keepLogs(scenario);
    return FaultFigures.of(scenario)
        .put("soak", SOAK)
        .put("duration_s", (System.nanoTime() - t0) / 1e9)
        .put("reads", reader.reads())
        .put("failed_reads", reader.failed())
        .put("wrong_reads", reader.wrong())
        .put("max_stale_s", reader.maxStaleSeconds())
        .put("peak_rss_kb", peakRssKb)
        .put("log_lines", logLines + (sidecar.isAlive() ? lines(sidecar) : 0));
  }

  /** Copies the sidecars' logs to {@code target/fault-logs/SCENARIO.log} (they hold no values). */
  private void keepLogs(String scenario) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "fault-logs"));
      Files.writeString(
          dir.resolve(scenario + ".log"),
          oldLogs + (sidecar == null ? "" : sidecar.stderr() + sidecar.stdout()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fails with the reader's first failures and the sidecar's log tail. */
  public String why() {
    String err = sidecar == null ? "" : sidecar.stderr();
    return reader.summary()
        + "\n--- sidecar log tail:\n"
        + err.substring(Math.max(0, err.length() - 3000));
  }

  @Override
  public void close() {
    readers.forEach(SecretReader::close);
    if (sidecar != null) {
      sidecar.close();
    }
    tmpfs.close();
  }
}
