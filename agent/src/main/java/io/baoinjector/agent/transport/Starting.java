package io.baoinjector.agent.transport;

import io.baoinjector.shared.wire.Json;
import io.baoinjector.shared.wire.WireFormatException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sidecar is up but has not resolved every name yet: to the agent that is "not available", so
 * {@code on-unavailable} applies, never a start on an empty snapshot. The message carries names,
 * never values.
 */
final class Starting extends IOException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_NAMES_SHOWN = 10;

  /** What is missing, e.g. {@code 2 names unresolved (DB_PASSWORD, API_KEY)}; may be empty. */
  final String detail;

  private Starting(String detail) {
    super(detail.isEmpty() ? "still starting" : "still starting: " + detail);
    this.detail = detail;
  }

  /**
   * From a 503 body, {@code {"status":"starting",…,"unresolved":["NAME",…]}}; {@code null} when the
   * body is not that document (a 503 from elsewhere, e.g. a server shutting down, is just an
   * error).
   */
  static Starting fromBody(String body) {
    try {
      Map<String, Object> doc = Json.parseObject(body);
      return "starting".equals(doc.get("status")) ? check(doc) : null;
    } catch (WireFormatException e) {
      return null;
    }
  }

  /**
   * Whether a document says the sidecar is starting. The 503 is the contract; for a 200 this is the
   * defensive side, for a sidecar that answers 200 anyway: a {@code status} other than {@code
   * ready}, a non-empty {@code unresolved}, or revision 0 with nothing in it (the sidecar's
   * placeholder before its first publish, which sidecars before the 503 served while OpenBao was
   * unreachable) all mean "starting". A configuration always maps at least one name, so a ready
   * sidecar is past 0.
   *
   * @return the reason, or {@code null} when the document may be served
   */
  static Starting check(Map<String, Object> doc) {
    List<String> unresolved = names(doc.get("unresolved"));
    if (unresolved != null && !unresolved.isEmpty()) {
      return new Starting(describe(unresolved));
    }
    Object status = doc.get("status");
    if (status != null && !"ready".equals(status)) {
      return new Starting("");
    }
    if (Long.valueOf(0).equals(doc.get("revision"))
        && isEmpty(doc.get("values"))
        && isEmpty(doc.get("properties"))) {
      return new Starting("no values yet (revision 0)");
    }
    return null;
  }

  private static boolean isEmpty(Object section) {
    return section == null || (section instanceof Map && ((Map<?, ?>) section).isEmpty());
  }

  private static List<String> names(Object list) {
    if (!(list instanceof List)) {
      return null;
    }
    List<String> out = new ArrayList<String>();
    for (Object o : (List<?>) list) {
      out.add(o instanceof String ? (String) o : "?");
    }
    return out;
  }

  private static String describe(List<String> names) {
    StringBuilder b = new StringBuilder();
    b.append(names.size()).append(names.size() == 1 ? " name" : " names").append(" unresolved (");
    for (int i = 0; i < names.size() && i < MAX_NAMES_SHOWN; i++) {
      b.append(i == 0 ? "" : ", ").append(printable(names.get(i)));
    }
    // ASCII only: the app's stderr may not be UTF-8
    return b.append(names.size() > MAX_NAMES_SHOWN ? ", ...)" : ")").toString();
  }

  /** Names go on the app's stderr: keep a hostile or broken sidecar from writing anything else. */
  private static String printable(String name) {
    if (name.isEmpty() || name.length() > 128) {
      return "?";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == '-';
      if (!ok) {
        return "?";
      }
    }
    return name;
  }
}
