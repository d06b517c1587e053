package io.baoinjector.sidecar.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.openbao.Mount;
import io.baoinjector.sidecar.openbao.NotFoundException;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads and writes KV v2 secrets with check-and-set ({@code options.cas}): every write names the
 * version it expects to replace (0: none), so a concurrent writer makes the write fail instead of
 * being overwritten. A 403 becomes one line naming the capability and the API path the policy must
 * grant. Values go only into request bodies and {@link Current#data()}, never into a message.
 */
final class KvWriter {
  /** A secret as read: its data and version; version 0 and no data when there is none. */
  record Current(Map<String, String> data, int version) {
    boolean exists() {
      return version > 0;
    }

    @Override
    public String toString() {
      return "Current[version " + version + ", keys " + data.keySet() + "]";
    }
  }

  /** Another write came first: the secret's version is no longer the one the write named. */
  static final class CasMismatch extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CasMismatch(String path, int expected) {
      super(path + ": check-and-set failed, version " + expected + " is no longer current");
    }
  }

  private final OpenBaoClient client;
  private final Supplier<SecretValue> token;

  KvWriter(OpenBaoClient client, Supplier<SecretValue> token) {
    this.client = Objects.requireNonNull(client, "client == null");
    this.token = Objects.requireNonNull(token, "token == null");
  }

  /**
   * Refuses a path the HTTP client would rewrite ({@code ..} climbs, {@code ?} starts a query), so
   * what is read, archived and written is the path as typed.
   *
   * @param option names the option in the message, or "" for the positional PATH#KEY
   */
  static void checkPath(String option, String path) {
    String p = strip(path);
    if (p.length() > Reference.MAX_PATH) {
      // OpenBao answers such a path only at the client's timeout
      throw ToolFailure.usage(
          "%s%s: longer than %s characters; shorten the secret's path"
              .formatted(option.isEmpty() ? "" : option + " ", shown(p), Reference.MAX_PATH));
    }
    boolean ok = !p.isEmpty() && p.indexOf('?') < 0;
    for (String seg : p.split("/", -1)) {
      ok &= !seg.isEmpty() && !seg.equals(".") && !seg.equals("..");
    }
    for (int i = 0; i < p.length(); i++) {
      ok &= !Character.isISOControl(p.charAt(i));
    }
    if (!ok) {
      throw ToolFailure.usage(
          (option.isEmpty() ? "" : option + " ")
              + p
              + ": a path segment may not be empty, . or .., nor hold ? or a control character;"
              + " write it as for bao kv get");
    }
  }

  /** {@code text} for a one-line message: past 60 characters, cut short with its length. */
  static String shown(String text) {
    return text.length() <= 60
        ? text
        : text.substring(0, 60) + "... (" + text.length() + " characters)";
  }

  /** The mount {@code path} lives on (the lookup {@code bao kv} does). */
  KvPath resolve(String path) {
    checkPath("", path);
    String p = strip(path);
    Optional<Mount> found;
    try {
      found = Mount.lookup(client, token.get(), p);
    } catch (PermissionDeniedException e) {
      throw ToolFailure.runtime(
          "permission denied: the token may use nothing under "
              + p
              + " (its policy must grant \"read\", \"create\" or \"update\" on a path there)");
    }
    String none = p + ": no secrets engine is mounted there (check the path)";
    return found
        .filter(m -> p.startsWith(m.path()))
        .map(m -> new KvPath(m.path(), m.relative(p), m.kvVersion()))
        .orElseThrow(() -> ToolFailure.usage(none));
  }

  /**
   * Refuses what is not KV v2: KV v1 has no versions, so no check-and-set and no archive.
   *
   * @param what what needs it, e.g. "import"
   */
  static void requireKvV2(KvPath p, String what) {
    if (p.kvVersion() == 2) {
      return;
    }
    throw ToolFailure.usage(
        p.kvVersion() == 1
            ? ("%s: %s is a KV v1 mount, which has no versions and no check-and-set; %s needs KV v2"
                    + " (bao secrets enable -version=2 -path=NAME kv, or bao kv enable-versioning"
                    + " %s)")
                .formatted(p, p.mount(), what, p.mount())
            : "%s: %s is not a KV secrets engine; %s needs KV v2".formatted(p, p.mount(), what));
  }

  /** The latest version, or {@code Current(empty, 0)} when there is none. */
  Current read(KvPath p) {
    try {
      return fetch(p);
    } catch (PermissionDeniedException e) {
      throw denied("read", p.dataPath());
    }
  }

  /**
   * Like {@link #read}, but a token that may not read gets {@code Current(empty, 0)}: a new secret
   * needs only "create", and its {@code cas=0} write still refuses to overwrite one that exists.
   */
  Current readIfAllowed(KvPath p) {
    try {
      return fetch(p);
    } catch (PermissionDeniedException e) {
      return new Current(Map.of(), 0);
    }
  }

  private Current fetch(KvPath p) {
    JsonNode body;
    try {
      body = client.get(p.dataPath(), token.get());
    } catch (NotFoundException e) {
      return new Current(Map.of(), 0);
    }
    JsonNode d = body.path("data");
    Map<String, String> data = new LinkedHashMap<>();
    d.path("data").fields().forEachRemaining(f -> data.put(f.getKey(), text(f.getValue())));
    return new Current(data, d.path("metadata").path("version").asInt(0));
  }

  /**
   * Writes {@code data} as the next version if the current one is still {@code cas}.
   *
   * @return the new version
   * @throws CasMismatch when another write came first
   */
  int write(KvPath p, Map<String, String> data, int cas) {
    Map<String, Object> body = Map.of("options", Map.of("cas", cas), "data", data);
    try {
      return client.post(p.dataPath(), body, token.get()).path("data").path("version").asInt();
    } catch (PermissionDeniedException e) {
      if (cas == 0) {
        // OpenBao asks for "update" instead when the path exists, which an unreadable one may
        throw ToolFailure.runtime(
            "permission denied: the token needs \"create\" on "
                + p.dataPath()
                + " (\"update\" if it exists already; grant it in the token's policy)");
      }
      throw denied("update", p.dataPath());
    } catch (OpenBaoException e) {
      if (e.status() == 400 && String.join(" ", e.errors()).contains("check-and-set")) {
        throw new CasMismatch(p.full(), cas);
      }
      throw e;
    }
  }

  /** Sets the secret's custom metadata (KV v2 metadata endpoint; creates it when absent). */
  void customMetadata(KvPath p, Map<String, String> custom) {
    try {
      client.post(p.metadataPath(), Map.of("custom_metadata", custom), token.get());
    } catch (PermissionDeniedException e) {
      throw denied("create\"/\"update", p.metadataPath());
    }
  }

  static ToolFailure denied(String capability, String apiPath) {
    return ToolFailure.runtime(
        "permission denied: the token needs \"%s\" on %s (grant it in the token's policy)"
            .formatted(capability, apiPath));
  }

  private static String text(JsonNode v) {
    return v.isTextual() ? v.asText() : v.toString();
  }

  /** As typed, less surrounding blanks and slashes. */
  private static String strip(String path) {
    return Reference.stripSlashes(path.strip());
  }
}
