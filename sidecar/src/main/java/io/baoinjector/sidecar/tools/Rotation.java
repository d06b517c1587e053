package io.baoinjector.sidecar.tools;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.SecretValue;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rotates one key of a KV v2 secret: reads version V, copies all of V to an archive secret (a
 * separate path, so KV v2's {@code max_versions} pruning of the live secret never reaches it) with
 * custom metadata naming when, by whom and from which version, then writes V's keys with the new
 * value as the next version with {@code cas=V}. A write between the read and the write fails the
 * rotation; the archive then holds V, which is still the live value, so nothing is lost.
 *
 * <p>It changes the stored value only: whatever uses the secret (a database user's password) is the
 * operator's to change.
 */
final class Rotation {
  /** Path-safe (no {@code :}), sortable, UTC, to the millisecond. */
  static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH-mm-ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final KvWriter kv;
  private final boolean dryRun;
  private final WriteHook hook;

  Rotation(KvWriter kv, boolean dryRun, WriteHook hook) {
    this.kv = kv;
    this.dryRun = dryRun;
    this.hook = hook;
  }

  /**
   * @param archiveTo where archives go instead of {@code <mount>/archive}, or null
   * @return the new version (0 for a dry run)
   */
  int run(
      String path,
      String key,
      SecretValue value,
      String archiveTo,
      String rotatedBy,
      Instant now,
      PrintWriter out) {
    KvPath p = kv.resolve(path);
    KvWriter.requireKvV2(p, "rotate");
    KvWriter.Current c = kv.read(p);
    if (!c.exists()) {
      throw ToolFailure.usage(
          p
              + " does not exist; rotate changes a key of an existing secret (create it with import)");
    }
    if (!c.data().containsKey(key)) {
      throw ToolFailure.usage(
          "%s has no key %s (its keys: %s); rotate changes an existing key"
              .formatted(p, key, String.join(", ", c.data().keySet())));
    }
    String base = archiveTo == null ? p.mount() + "archive" : Reference.stripSlashes(archiveTo);
    KvPath archive = kv.resolve(base + "/" + p.relative() + "/" + STAMP.format(now));
    KvWriter.requireKvV2(archive, "the archive");
    if (dryRun) {
      out.println(
          ("would archive version %s of %s at %s and write %s as version %s; dry run: nothing"
                  + " written")
              .formatted(c.version(), p, archive, key, c.version() + 1));
      return 0;
    }
    try {
      kv.write(archive, c.data(), 0);
    } catch (KvWriter.CasMismatch e) {
      throw ToolFailure.runtime(archive + " already exists; nothing rotated; run again");
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("rotated-at", now.toString());
    meta.put("rotated-by", rotatedBy);
    meta.put("previous-version", Integer.toString(c.version()));
    meta.put("source", p.full() + "#" + key);
    kv.customMetadata(archive, meta);
    hook.betweenReadAndWrite(p);
    Map<String, String> next = new LinkedHashMap<>(c.data());
    next.put(key, value.reveal());
    int version;
    try {
      version = kv.write(p, next, c.version());
    } catch (KvWriter.CasMismatch e) {
      throw ToolFailure.runtime(
          ("%s changed after version %s was read; nothing rotated (the archive at %s holds"
                  + " version %s); run again")
              .formatted(p, c.version(), archive, c.version()));
    }
    out.println(
        "rotated %s#%s: version %s (version %s archived at %s)"
            .formatted(p, key, version, c.version(), archive));
    return version;
  }
}
