package io.baoinjector.sidecar.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.openbao.Mount;
import io.baoinjector.sidecar.openbao.OpenBaoClient;
import io.baoinjector.sidecar.token.TokenProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code check --online}: can the token read every mapped path? Asks {@code sys/capabilities-self}
 * once for all of them (the API paths, e.g. {@code secret/data/app/db} for KV v2), so nothing is
 * read and no secret leaves OpenBao.
 */
public final class AccessCheck {

  /**
   * One path's verdict.
   *
   * @param path as the user wrote it
   * @param apiPath what was asked about
   * @param readable the token may read it
   * @param metadataReadable KV v2 only: the token may read its metadata (else versions are not
   *     checked and the data is re-read every round); true for other engines
   */
  public record Result(String path, String apiPath, boolean readable, boolean metadataReadable) {
    /** The line {@code check --online} prints. */
    public String line() {
      if (!readable) {
        return "DENIED  "
            + path
            + ": the token may not read "
            + apiPath
            + " (grant \"read\" on it in the policy)";
      }
      return "ok      "
          + path
          + (metadataReadable
              ? ""
              : " (no read on its metadata: versions are not checked, the data is re-read every"
                  + " refresh)");
    }
  }

  private AccessCheck() {}

  public static List<Result> run(SidecarConfig config, OpenBaoClient client, TokenProvider tokens) {
    Map<String, NameTable.SourceKey> paths = new LinkedHashMap<>();
    // as written: a vault: API path is shown with its prefix, it names another secret
    new NameTable(config)
        .sourceKeys().stream()
            .filter(
                k -> k.backendSecret() == null) // another store's secret is not OpenBao's to grant
            .forEach(k -> paths.putIfAbsent((k.apiPath() ? Reference.VAULT : "") + k.path(), k));
    Reader reader = new Reader(client, tokens);
    MountResolver mounts = new MountResolver(reader);
    Map<String, String[]> api = new LinkedHashMap<>();
    List<String> ask = new ArrayList<>();
    paths.forEach(
        (shown, k) -> {
          Mount m = mounts.resolve(k.path());
          String p = m.kvPath(k.path(), k.apiPath());
          String[] a =
              m.isKvV2()
                  ? new String[] {
                    m.path() + "data/" + m.relative(p), m.path() + "metadata/" + m.relative(p)
                  }
                  : new String[] {p};
          api.put(shown, a);
          ask.addAll(List.of(a));
        });
    if (ask.isEmpty()) {
      return List.of(); // every name comes from another store
    }
    JsonNode caps = reader.post("sys/capabilities-self", Map.of("paths", ask));
    List<Result> out = new ArrayList<>();
    api.forEach(
        (p, a) ->
            out.add(new Result(p, a[0], canRead(caps, a[0]), a.length < 2 || canRead(caps, a[1]))));
    return out;
  }

  private static boolean canRead(JsonNode caps, String apiPath) {
    JsonNode c = caps.has(apiPath) ? caps.path(apiPath) : caps.path("data").path(apiPath);
    for (JsonNode x : c) {
      if (x.asText().equals("read") || x.asText().equals("root")) {
        return true;
      }
    }
    return false;
  }
}
