package io.baoinjector.sidecar.tools.policy;

import java.util.List;

/**
 * One {@code path "…" { capabilities = […] }} block and why it is there.
 *
 * @param path the exact API path (never a wildcard)
 * @param capabilities e.g. {@code read}
 * @param reason the comment line: the config names or keys that need it, never a value
 */
record Stanza(String path, List<String> capabilities, String reason) {

  String hcl() {
    StringBuilder b = new StringBuilder();
    b.append(comment(reason)).append('\n');
    b.append("path ").append(quote(path)).append(" {\n");
    b.append("  capabilities = [");
    for (int i = 0; i < capabilities.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(quote(capabilities.get(i)));
    }
    return b.append("]\n}\n").toString();
  }

  /**
   * {@code text} as one {@code #} line: a control character (a config file or property name may
   * hold a newline) would end the comment and put the rest of the name into the policy.
   */
  static String comment(String text) {
    return "# " + text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", "?");
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
