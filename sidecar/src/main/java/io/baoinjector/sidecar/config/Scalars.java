package io.baoinjector.sidecar.config;

import io.baoinjector.shared.Durations;
import io.baoinjector.shared.Reference;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Each scalar type's text-to-value rule, as {@link Binder}'s deserializers apply it: a value that
 * does not fit throws {@link Binder.Bad} with the problem and its fix.
 */
final class Scalars {
  private Scalars() {}

  static Path outputPath(String s, LoadContext ctx) {
    for (String seg : s.split("/")) {
      if (seg.equals("..")) {
        throw new Binder.Bad("\"" + s + "\" has a .. segment", "write the path without ..");
      }
    }
    return ctx.resolve(s);
  }

  /** One of an enum's constants, written in lower case. */
  static <E extends Enum<E>> E choice(String v, Class<E> type) {
    List<String> allowed =
        Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    if (allowed.contains(v)) {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
    }
    if (v.isBlank()) {
      throw new Binder.Bad("has no value", "use one of " + String.join(", ", allowed));
    }
    String near = DidYouMean.closest(v, allowed);
    throw new Binder.Bad(
        "unknown value \"" + v + "\"",
        "use one of "
            + String.join(", ", allowed)
            + (near == null ? "" : "; did you mean " + near + "?"));
  }

  /** An http(s) URL without a trailing slash, which would double up before /v1/... */
  static URI uri(String text) {
    String t = text.trim();
    URI u;
    try {
      u = new URI(t);
    } catch (URISyntaxException e) {
      u = null;
    }
    boolean ok =
        u != null
            && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
            && u.getHost() != null
            && u.getRawQuery() == null
            && u.getRawFragment() == null;
    if (!ok) {
      throw new Binder.Bad(
          "\"" + t + "\" is not an http(s) URL",
          "write it as https://HOST:PORT or http://HOST:PORT");
    }
    // by index: the regex "/+$" backtracks through every inner run of slashes (seconds on a long
    // one)
    String s = u.toString();
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return URI.create(s.substring(0, end));
  }

  static InetSocketAddress hostPort(String a, LoadContext ctx) {
    int colon = a.lastIndexOf(':');
    String host = colon < 0 ? "" : a.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = -1;
    try {
      port = colon < 0 ? -1 : Integer.parseInt(a.substring(colon + 1));
    } catch (NumberFormatException e) {
      // reported below
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw new Binder.Bad(
          "\"" + a + "\" is not HOST:PORT",
          "write it like 127.0.0.1:9102, or 0.0.0.0:9102 for every interface");
    }
    // an IP literal becomes an address without a DNS lookup; a name is looked up when bound
    return host.matches("[0-9.]+|.*:.*")
        ? new InetSocketAddress(host, port)
        : InetSocketAddress.createUnresolved(host, port);
  }

  static Integer mode(String s, LoadContext ctx) {
    if (!s.matches("0?[0-7]{3}")) {
      throw new Binder.Bad(
          "\"" + s + "\" is not an octal file mode", "write it quoted, like \"0400\"");
    }
    return Integer.parseInt(s, 8);
  }

  static Boolean bool(String s, LoadContext ctx) {
    // a quoted "true" is still plainly meant as true; YAML 1.1's yes/on are not booleans here
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new Binder.Bad("expected true or false, got \"" + s + "\"", "write true or false");
  }

  static Integer id(String s, LoadContext ctx) {
    if (s.matches("\\d{1,10}") && Long.parseLong(s) <= Integer.MAX_VALUE) {
      return Integer.parseInt(s);
    }
    throw new Binder.Bad("\"" + s + "\" is not a numeric id", "write a number from 0, like 1000");
  }

  /**
   * The longest duration a key takes, ten years: far beyond any sensible interval or timeout, and
   * far below what overflows {@link Duration#toNanos()} (292 years), which the schedulers use.
   */
  static final Duration MAX_DURATION = Duration.ofHours(87_600);

  /** {@link Durations}' grammar, above zero and at most {@link #MAX_DURATION}. */
  static Duration duration(String s, LoadContext ctx) {
    String t = s.trim();
    long ms = Durations.millis(t, MAX_DURATION.toMillis());
    String problem =
        ms == Durations.INVALID
            ? "is not a duration"
            : ms == Durations.TOO_LARGE
                ? "is too large; the most is " + Durations.format(MAX_DURATION.toMillis())
                : ms == 0 ? "is zero; it must be positive" : null;
    if (problem != null) {
      throw new Binder.Bad(
          "\"" + t + "\" " + problem, "write a duration like 30s, 5m, 1h or 500ms");
    }
    return Duration.ofMillis(ms);
  }

  static Path path(String s, LoadContext ctx) {
    return ctx.resolve(s);
  }

  static Reference reference(String s, LoadContext ctx) {
    try {
      return Reference.parse(s, ctx::backendStore);
    } catch (IllegalArgumentException e) {
      throw new Binder.Bad(e.getMessage(), null);
    }
  }

  static Reference wholeSecret(String s, LoadContext ctx) {
    try {
      return Reference.wholeSecret(s, ctx == null ? n -> null : ctx::backendStore);
    } catch (IllegalArgumentException e) {
      throw new Binder.Bad(e.getMessage(), "write the secret's path, like secret/app/prod");
    }
  }

  /** {@code fallback:}: a whole {@code file:} of NAME=VALUE (or a JSON object). */
  static Reference fallback(String s, LoadContext ctx) {
    if (!s.trim().startsWith(Reference.FILE + ":")) {
      throw new Binder.Bad(
          "must be a file: reference",
          "write it like file:/etc/app/fallback.env, a dotenv or JSON file");
    }
    return wholeSecret(s, ctx);
  }
}
