package io.baoinjector.sidecar.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Every key {@code sidecar.yaml} accepts, section by section. The reader may only ask for keys
 * listed here ({@link Fields} enforces it), unknown keys in the file are errors checked against it,
 * and the docs test derives its list from it: one list, so code, errors and docs cannot drift.
 */
final class ConfigKeys {
  private ConfigKeys() {}

  /**
   * The keys of one mapping.
   *
   * @param path the mapping's dotted path for docs, lists written as {@code files[]}; "" for the
   *     top level
   */
  record Section(String path, List<String> keys) {
    boolean contains(String key) {
      return keys.contains(key);
    }

    String qualified(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }
  }

  static final Section ROOT =
      new Section(
          "",
          List.of(
              "openbao",
              "auth",
              "revoke-on-exit",
              "secrets",
              "env-from",
              "properties",
              "refresh",
              "leases",
              "outputs"));
  static final Section OPENBAO =
      new Section("openbao", List.of("address", "namespace", "ca-cert", "tls-skip-verify"));
  static final Section AUTH =
      new Section(
          "auth",
          List.of(
              "method",
              "mount",
              "token-file",
              "role-id-file",
              "secret-id-file",
              "secret-id-wrapped",
              "keep-secret-id-file",
              "role",
              "jwt-file"));
  static final Section ENV_FROM = new Section("env-from[]", List.of("path", "prefix", "sanitize"));
  static final Section REFRESH = new Section("refresh", List.of("interval"));
  static final Section LEASES = new Section("leases", List.of("overlap", "revoke-replaced"));
  static final Section OUTPUTS = new Section("outputs", List.of("socket", "http", "files"));
  static final Section SOCKET =
      new Section("outputs.socket", List.of("path", "mode", "allow-uids", "uid", "gid"));
  static final Section HTTP = new Section("outputs.http", List.of("address"));
  static final Section FILE =
      new Section(
          "outputs.files[]",
          List.of(
              "path",
              "format",
              "names",
              "name",
              "template",
              "mode",
              "uid",
              "gid",
              "allow-disk",
              "on-change",
              "on-change-timeout"));

  static final List<Section> ALL =
      List.of(ROOT, OPENBAO, AUTH, ENV_FROM, REFRESH, LEASES, OUTPUTS, SOCKET, HTTP, FILE);

  /** Every accepted key as a dotted path, e.g. {@code outputs.files[].mode}. */
  static List<String> allKeyPaths() {
    List<String> out = new ArrayList<>();
    for (Section s : ALL) {
      for (String k : s.keys()) {
        out.add(s.qualified(k));
      }
    }
    return out;
  }

  /** The sections (other than {@code except}) that accept {@code key}. */
  static List<Section> sectionsWith(String key, Section except) {
    List<Section> out = new ArrayList<>();
    for (Section s : ALL) {
      if (s != except && s.contains(key)) {
        out.add(s);
      }
    }
    return out;
  }
}
