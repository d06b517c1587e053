package io.baoinjector.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One machine-readable line of figures per fault scenario, appended to {@code
 * target/fault-figures.txt} (and printed), e.g. {@code FAULT-FIGURES scenario=renewal-cadence
 * failed_reads=0 logins=3 max_stale_s=1.2 peak_rss_kb=98000 log_lines=40}. {@code
 * docs/reliability.md} is filled from these lines. Also the process figures the lines carry: CPU
 * time and peak RSS from {@code /proc}.
 */
public final class FaultFigures {
  private static final Pattern CPU = Pattern.compile("\\)\\s+(.*)");
  private final Map<String, Object> figures = new LinkedHashMap<>();

  private FaultFigures(String scenario) {
    figures.put("scenario", scenario);
  }

  public static FaultFigures of(String scenario) {
    return new FaultFigures(scenario);
  }

  public FaultFigures put(String key, Object value) {
    figures.put(key, value instanceof Double d ? String.format("%.2f", d) : value);
    return this;
  }

  /** Appends the line to {@code target/fault-figures.txt}; returns it. */
  public String emit() {
    StringBuilder b = new StringBuilder("FAULT-FIGURES");
    figures.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
    String line = b.toString();
    System.out.println(line);
    try {
      Path f = Paths.get("target", "fault-figures.txt").toAbsolutePath();
      Files.createDirectories(f.getParent());
      Files.writeString(
          f,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return line;
  }

  /** User plus system CPU seconds of {@code pid} so far (Linux {@code /proc}, 100 ticks/s). */
  public static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      Matcher m = CPU.matcher(stat);
      if (!m.find()) {
        throw new IllegalStateException("unexpected /proc/" + pid + "/stat");
      }
      // after the command name: state is field 3, utime 14, stime 15
      String[] f = m.group(1).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CPU time of " + pid, e);
    }
  }

  /** Peak resident set of {@code pid} in kB ({@code VmHWM}). */
  public static long peakRssKb(long pid) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
      for (String l : lines) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
      throw new IllegalStateException("no VmHWM in /proc/" + pid + "/status");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the RSS of " + pid, e);
    }
  }

  /**
   * Remote TCP ports {@code pid} has established connections to, from {@code /proc}: which HA node
   * a client is talking to, without a proxy in the way (a proxy would change how a dead node fails:
   * EOF instead of a refused connect).
   */
  public static java.util.Set<Integer> connectedPorts(long pid) {
    java.util.Set<String> inodes = new java.util.HashSet<>();
    java.util.Set<Integer> ports = new java.util.TreeSet<>();
    try (java.nio.file.DirectoryStream<Path> fds =
        Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds) {
        try {
          String link = Files.readSymbolicLink(fd).toString();
          if (link.startsWith("socket:[")) {
            inodes.add(link.substring(8, link.length() - 1));
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
      for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] f = line.trim().split("\\s+");
          // sl local remote st ... inode (field 9); st 01 = ESTABLISHED
          if (f.length > 9 && f[3].equals("01") && inodes.contains(f[9])) {
            String remote = f[2];
            ports.add(Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the sockets of " + pid, e);
    }
    return ports;
  }

  /** Lines in {@code text} (a process's log). */
  public static long lines(String text) {
    return text.isEmpty() ? 0 : text.split("\n", -1).length - (text.endsWith("\n") ? 1 : 0);
  }
}
