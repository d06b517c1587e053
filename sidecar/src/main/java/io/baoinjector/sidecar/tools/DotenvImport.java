package io.baoinjector.sidecar.tools;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes name/value pairs into KV v2, one secret per group, with check-and-set: a new secret with
 * {@code cas=0}, so a concurrent creator is never overwritten; onto an existing one only with
 * {@link Mode#MERGE} or {@link Mode#REPLACE}, with {@code cas} = the version read, so a write
 * between the read and the write fails the import instead of being lost. Prints names, counts,
 * paths and versions; never a value.
 */
final class DotenvImport {
  enum Mode {
    NEW,
    MERGE,
    REPLACE
  }

  private final KvWriter kv;
  private final Mode mode;
  private final boolean dryRun;
  private final WriteHook hook;

  DotenvImport(KvWriter kv, Mode mode, boolean dryRun, WriteHook hook) {
    this.kv = kv;
    this.mode = mode;
    this.dryRun = dryRun;
    this.hook = hook;
  }

  /**
   * Groups {@code values} by the longest matching prefix: names starting with {@code DB_} go to
   * {@code TO/db}, the rest to {@code TO} itself. Names keep their full spelling inside a group.
   */
  static Map<String, Map<String, String>> split(
      String to, Map<String, String> values, List<String> prefixes) {
    List<String> byLength = new ArrayList<>(prefixes);
    byLength.sort(Comparator.comparingInt(String::length).reversed());
    Map<String, Map<String, String>> groups = new LinkedHashMap<>();
    String base = to.endsWith("/") ? to.substring(0, to.length() - 1) : to;
    for (Map.Entry<String, String> e : values.entrySet()) {
      String path = base;
      for (String p : byLength) {
        if (e.getKey().startsWith(p)) {
          path = base + "/" + groupName(p);
          break;
        }
      }
      groups.computeIfAbsent(path, k -> new LinkedHashMap<>()).put(e.getKey(), e.getValue());
    }
    return groups;
  }

  /** {@code DB_} → {@code db}; refuses a prefix that leaves no path segment. */
  static String groupName(String prefix) {
    String g = prefix.replaceAll("_+$", "").toLowerCase(Locale.ROOT);
    if (g.isEmpty() || !g.matches("[a-z0-9_-]+")) {
      throw ToolFailure.usage(
          "--split " + prefix + ": a prefix must start with letters or digits, like DB_");
    }
    return g;
  }

  /** Imports every group; refuses before writing anything when a new secret already exists. */
  void run(Map<String, Map<String, String>> groups, PrintWriter out) {
    Map<KvPath, Map<String, String>> resolved = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> g : groups.entrySet()) {
      KvPath p = kv.resolve(g.getKey());
      KvWriter.requireKvV2(p, "import");
      resolved.put(p, g.getValue());
    }
    Map<KvPath, KvWriter.Current> current = new LinkedHashMap<>();
    for (KvPath p : resolved.keySet()) {
      KvWriter.Current c = mode == Mode.NEW ? kv.readIfAllowed(p) : kv.read(p);
      if (c.exists() && mode == Mode.NEW) {
        throw ToolFailure.usage(
            ("%s already exists (version %s); pass --merge to add these keys to it or --replace to"
                    + " overwrite it")
                .formatted(p, c.version()));
      }
      current.put(p, c);
    }
    for (Map.Entry<KvPath, Map<String, String>> g : resolved.entrySet()) {
      one(g.getKey(), g.getValue(), current.get(g.getKey()), out);
    }
    if (dryRun) {
      out.println("dry run: nothing written");
    }
  }

  private void one(KvPath p, Map<String, String> values, KvWriter.Current c, PrintWriter out) {
    Map<String, String> next = new LinkedHashMap<>();
    if (mode == Mode.MERGE) {
      next.putAll(c.data());
    }
    next.putAll(values);
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!c.data().containsKey(e.getKey())) {
        added.add(e.getKey());
      } else if (!c.data().get(e.getKey()).equals(e.getValue())) {
        changed.add(e.getKey());
      }
    }
    List<String> removed = new ArrayList<>(c.data().keySet());
    removed.removeAll(next.keySet());
    String summary = summary(c, values.keySet(), added, changed, removed, next.size());
    if (dryRun) {
      out.println("would " + verb(c) + " " + p + summary);
      return;
    }
    hook.betweenReadAndWrite(p);
    int version;
    try {
      version = kv.write(p, next, c.version());
    } catch (KvWriter.CasMismatch e) {
      throw ToolFailure.runtime(
          c.exists()
              ? p
                  + " changed between reading version "
                  + c.version()
                  + " and writing; nothing written there; run the import again"
              : p
                  + " already exists (created meanwhile, or not readable by this token);"
                  + " nothing written there; pass --merge or --replace");
    }
    out.println(past(c) + " " + p + " (version " + version + ")" + summary);
  }

  private String summary(
      KvWriter.Current c,
      Set<String> names,
      List<String> added,
      List<String> changed,
      List<String> removed,
      int total) {
    if (!c.exists() || mode == Mode.REPLACE) {
      return ": "
          + names.size()
          + " key(s): "
          + String.join(", ", names)
          + (removed.isEmpty()
              ? ""
              : "; " + removed.size() + " removed: " + String.join(", ", removed));
    }
    int kept = total - added.size() - changed.size();
    return ": %s added%s, %s changed%s, %s kept"
        .formatted(added.size(), listed(added), changed.size(), listed(changed), kept);
  }

  private static String listed(List<String> names) {
    return names.isEmpty() ? "" : " (" + String.join(", ", names) + ")";
  }

  private String verb(KvWriter.Current c) {
    return !c.exists() ? "create" : mode == Mode.MERGE ? "merge into" : "replace";
  }

  private String past(KvWriter.Current c) {
    return !c.exists() ? "created" : mode == Mode.MERGE ? "merged into" : "replaced";
  }

  /** The {@code secrets:} block for {@code sidecar.yaml}: each name mapped to where it went. */
  static String secretsBlock(Map<String, Map<String, String>> groups) {
    StringBuilder b = new StringBuilder("secrets:\n");
    for (Map.Entry<String, Map<String, String>> g : groups.entrySet()) {
      for (String name : g.getValue().keySet()) {
        // YAML 1.1 readers take a bare ON, NO, Y... for a boolean
        String key =
            name.matches("(?i)y|yes|n|no|on|off|true|false|null") ? "\"" + name + "\"" : name;
        b.append("  ").append(key).append(": ").append(g.getKey()).append('#').append(name);
        b.append('\n');
      }
    }
    return b.toString();
  }
}
