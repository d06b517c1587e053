package io.baoinjector.sidecar.source;

import io.baoinjector.shared.Reference;

/**
 * Why a name has no value although its store answered (absent, deleted, destroyed, a null key, no
 * such key, a store's own words), each said once per name and reason through the name table's
 * once-only warning.
 */
final class UnresolvedWarnings {
  /** A warning said at most once per key. */
  interface Once {
    void warn(String key, String format, Object... args);
  }

  private final Once once;

  UnresolvedWarnings(Once once) {
    this.once = once;
  }

  /** Why {@code name} has no value although its store answered: once per name and reason. */
  void warn(String name, Reference r, SecretData d) {
    if (!r.backend().isEmpty()) {
      if (!d.present()) {
        once.warn(name + "#absent", "{}: {}", name, d.gone() != null ? d.gone() : r + " not found");
      } else if (r.key() == null) {
        once.warn(
            name + "#whole",
            "{}: {} holds named values only; pick one with #KEY (its keys: {})",
            name,
            r,
            String.join(", ", d.data().keySet()));
      } else if (r.store() == Reference.Store.FILE) {
        // a file's "names" may be its content: a base64 token ending in = reads as NAME=
        once.warn(
            name + "#nokey",
            "{}: {} has no key \"{}\" ({} keys; a file with CRLF line ends or a line that is"
                + " not NAME=value is served whole only)",
            name,
            r.secret(),
            r.key(),
            d.data().size());
      } else {
        once.warn(
            name + "#nokey",
            "{}: {} has no key \"{}\" (its keys: {})",
            name,
            r.secret(),
            r.key(),
            String.join(", ", d.data().keySet()));
      }
      return;
    }
    String at = r.path() + (r.pinned() ? " version " + r.version() : "");
    if (!d.present() && d.gone() != null) {
      once.warn(
          name + "#gone",
          "{}: {} {} ({})",
          name,
          r.path(),
          d.gone(),
          d.gone().endsWith("destroyed")
              ? (r.pinned() ? "pin a version that exists" : "write a new version")
              : "bao kv undelete -versions=" + d.version() + " " + r.path() + " restores it");
    } else if (!d.present()) {
      once.warn(
          name + "#absent",
          "{}: {} does not exist (check the path with bao kv get)",
          name,
          r.path());
    } else if (d.nullKeys().contains(r.key())) {
      once.warn(
          name + "#null", "{}: key \"{}\" of {} is null (write a string value)", name, r.key(), at);
    } else {
      once.warn(
          name + "#nokey",
          "{}: {} has no key \"{}\" (its keys: {})",
          name,
          at,
          r.key(),
          String.join(", ", d.data().keySet()));
    }
  }
}
