package io.baoinjector.sidecar.source;

import io.baoinjector.shared.EnvNames;
import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.Mount;
import io.baoinjector.sidecar.snapshot.BackendStatus;
import io.baoinjector.sidecar.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the config's names into values from the sources' data. Rules: explicit {@code secrets:} win
 * over {@code env-from}; a later {@code env-from} entry wins over an earlier one; each collision is
 * warned once. A failing explicit name keeps its last value and is listed unresolved; an {@code
 * env-from} key deleted in OpenBao leaves at the next round.
 */
final class NameTable {
  private static final Logger log = LoggerFactory.getLogger(NameTable.class);

  /**
   * A distinct thing to read: a path and a pinned version (0: current); {@code apiPath} for the
   * {@code vault:} form, whose path carries KV v2's {@code data/} (see {@link Mount#kvPath}).
   */
  record SourceKey(String path, int version, boolean apiPath, Reference backendSecret) {
    SourceKey(String path, int version) {
      this(path, version, false, null);
    }

    static SourceKey of(Reference r) {
      return r.backend().isEmpty()
          ? new SourceKey(r.path(), r.version(), r.apiPath(), null)
          : new SourceKey(r.secret().toString(), 0, false, r.secret());
    }

    /** The backend block it reads from, or "" for OpenBao. */
    String backend() {
      return backendSecret == null ? "" : backendSecret.backend();
    }
  }

  /**
   * @param fallback some name is served from the {@code fallback:} file (its store never answered)
   */
  record Resolved(
      Map<String, Snapshot.Entry> values,
      Map<String, Snapshot.Entry> properties,
      Set<String> unresolved,
      boolean complete,
      boolean fallback) {}

  private final Map<String, Reference> secrets;
  private final Map<String, Reference> properties;
  private final List<SidecarConfig.EnvFrom> envFrom;
  private final Set<SourceKey> keys = new LinkedHashSet<>();
  private final Set<String> warned = new LinkedHashSet<>();
  private final UnresolvedWarnings unresolvedWarnings = new UnresolvedWarnings(this::warnOnce);
  private final SourceKey fallback;
  private final String fallbackRef;
  private boolean fallbackServed;

  NameTable(SidecarConfig config) {
    this.secrets = config.secrets();
    this.properties = config.properties();
    this.envFrom = config.envFrom();
    secrets.values().forEach(r -> keys.add(SourceKey.of(r)));
    envFrom.forEach(e -> keys.add(SourceKey.of(e.path())));
    properties.values().forEach(r -> keys.add(SourceKey.of(r)));
    this.fallback = config.fallback() == null ? null : SourceKey.of(config.fallback());
    this.fallbackRef = config.fallback() == null ? null : "fallback:" + config.fallback();
    if (fallback != null) {
      keys.add(fallback);
    }
  }

  Set<SourceKey> sourceKeys() {
    return keys;
  }

  /**
   * What is unresolved before anything was read: every explicit name and every {@code env-from}
   * path (its names are known only once read), as {@code /v1/health} lists them.
   */
  Set<String> initiallyUnresolved() {
    Set<String> s = new LinkedHashSet<>();
    envFrom.forEach(e -> s.add("env-from:" + e.path().path()));
    s.addAll(secrets.keySet());
    s.addAll(properties.keySet());
    return s;
  }

  Resolved resolve(Function<SourceKey, SourceSlot> slots, Snapshot prev) {
    fallbackServed = false;
    Map<String, Snapshot.Entry> values = new LinkedHashMap<>();
    Set<String> unresolved = new LinkedHashSet<>();
    boolean complete = true;
    Map<String, String> envFromOwner = new LinkedHashMap<>();
    for (SidecarConfig.EnvFrom e : envFrom) {
      SourceKey key = SourceKey.of(e.path());
      SourceSlot st = slots.apply(key);
      if (st == null || st.lastGood() == null || st.failing()) {
        unresolved.add("env-from:" + e.path().path());
        complete = false;
      }
      if (st == null || st.lastGood() == null) {
        continue;
      }
      for (Map.Entry<String, SecretValue> kv : st.lastGood().data().entrySet()) {
        String name = e.prefix() + (e.sanitize() ? EnvNames.sanitize(kv.getKey()) : kv.getKey());
        if (EnvNames.isStartupHook(name)) {
          warnOnce(
              name + "<hook",
              "{}: env-from {} would set it, and it changes how programs start; skipped (map it"
                  + " under secrets: if it is meant)",
              name,
              e.path().path());
          continue;
        }
        if (secrets.containsKey(name)) {
          warnOnce(
              name + "<secrets",
              "{}: env-from {} also sets it; the secrets: entry wins",
              name,
              e.path().path());
          continue;
        }
        String earlier = envFromOwner.put(name, e.path().path());
        if (earlier != null && !earlier.equals(e.path().path())) {
          warnOnce(
              name + "<" + earlier,
              "{}: env-from {} overrides env-from {} (the later entry wins)",
              name,
              e.path().path(),
              earlier);
        }
        values.put(
            name,
            new Snapshot.Entry(
                kv.getValue(),
                st.lastGood().version(),
                e.path().path() + "#" + kv.getKey(),
                st.confirmedAt()));
      }
    }
    complete &= resolveExplicit(secrets, slots, prev.values(), values, unresolved);
    Map<String, Snapshot.Entry> props = new LinkedHashMap<>();
    complete &= resolveExplicit(properties, slots, prev.properties(), props, unresolved);
    warnUnusableFallback(slots);
    return new Resolved(values, props, unresolved, complete, fallbackServed);
  }

  private boolean resolveExplicit(
      Map<String, Reference> names,
      Function<SourceKey, SourceSlot> slots,
      Map<String, Snapshot.Entry> previous,
      Map<String, Snapshot.Entry> out,
      Set<String> unresolved) {
    boolean complete = true;
    for (Map.Entry<String, Reference> n : names.entrySet()) {
      SourceSlot st = slots.apply(SourceKey.of(n.getValue()));
      SecretValue v =
          st == null || st.lastGood() == null ? null : st.lastGood().value(n.getValue().key());
      if (v != null) {
        out.put(
            n.getKey(),
            new Snapshot.Entry(
                v, st.lastGood().version(), n.getValue().toString(), st.confirmedAt()));
        if (st.failing()) {
          unresolved.add(n.getKey());
          complete = false;
        }
      } else {
        unresolved.add(n.getKey());
        complete = false;
        if (st != null && st.lastGood() != null && !st.failing()) {
          unresolvedWarnings.warn(n.getKey(), n.getValue(), st.lastGood());
        }
        SourceSlot fb = fallback == null ? null : slots.apply(fallback);
        SecretValue spare =
            neverAnswered(st) && fb != null && fb.lastGood() != null
                ? fb.lastGood().data().get(n.getKey())
                : null;
        if (spare != null) {
          // the store has never answered: the operator's fallback file stands in, flagged stale
          out.put(
              n.getKey(),
              new Snapshot.Entry(spare, null, fallbackRef + "#" + n.getKey(), fb.confirmedAt()));
          fallbackServed = true;
          continue;
        }
        Snapshot.Entry keep = previous.get(n.getKey());
        if (keep != null) {
          out.put(n.getKey(), keep);
          // the store answered without it: the fallback's value is still what is served
          fallbackServed |= fallbackRef != null && keep.source().startsWith(fallbackRef + "#");
        }
      }
    }
    return complete;
  }

  /**
   * Each backend the config reads (and {@code file} when used) with its state: stale while it is
   * {@code down}, and which of its names are {@code unresolved}; empty for an OpenBao-only config.
   */
  Map<String, BackendStatus> backendStatus(Set<String> unresolved, Set<String> down) {
    Map<String, List<String>> names = new LinkedHashMap<>();
    keys.forEach(
        k -> {
          if (!k.backend().isEmpty()) {
            names.computeIfAbsent(k.backend(), b -> new ArrayList<>());
          }
        });
    if (names.isEmpty()) {
      return Map.of();
    }
    BiConsumer<String, String> add =
        (backend, n) -> {
          if (!backend.isEmpty() && unresolved.contains(n)) {
            names.get(backend).add(n);
          }
        };
    envFrom.forEach(e -> add.accept(e.path().backend(), "env-from:" + e.path().path()));
    secrets.forEach((n, r) -> add.accept(r.backend(), n));
    properties.forEach((n, r) -> add.accept(r.backend(), n));
    Map<String, BackendStatus> out = new LinkedHashMap<>();
    names.forEach((b, l) -> out.put(b, new BackendStatus(down.contains(b), l)));
    return out;
  }

  /** A fallback with a typo in its path, or not dotenv, would be found out only in an outage. */
  private void warnUnusableFallback(Function<SourceKey, SourceSlot> slots) {
    SourceSlot fb = fallback == null ? null : slots.apply(fallback);
    if (fb == null || fb.lastGood() == null) {
      return; // not read yet, or failing: the refresher says why
    }
    if (!fb.lastGood().present()) {
      String gone = String.valueOf(fb.lastGood().gone());
      String self = fallbackRef.substring("fallback:".length()) + ": ";
      warnOnce(
          "<fallback#absent",
          "{}: {}",
          fallbackRef,
          gone.startsWith(self) ? gone.substring(self.length()) : gone);
    } else if (fb.lastGood().data().isEmpty()) {
      warnOnce(
          "<fallback#empty",
          "{}: holds no NAME=value (a dotenv or JSON object file; CRLF line ends or a line outside"
              + " the dotenv subset make it neither), so no name can be served from it",
          fallbackRef);
    }
  }

  /**
   * Unreachable since start. A store that refused (a denied path) answered: serving the fallback
   * then would hide a policy mistake behind values that look like the real ones.
   */
  private static boolean neverAnswered(SourceSlot st) {
    return st == null || (st.lastGood() == null && !st.answered());
  }

  private void warnOnce(String key, String format, Object... args) {
    if (warned.add(key)) {
      log.warn(format, args);
    }
  }
}
