package io.baoinjector.agent;

import io.baoinjector.agent.bootstrap.Pools;
import io.baoinjector.shared.Durations;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code -javaagent:bao-injector-agent.jar=OPTIONS} options: comma-separated {@code key=value}.
 * See {@code docs/agent.md}. A bad option is an {@link IllegalArgumentException} whose message is
 * the one line to print.
 */
final class Options {
  static final String DEFAULT_SOCKET = "/run/bao-injector/agent.sock";
  private static final long MAX_WAIT_MILLIS = 87_600L * 3_600_000;

  /** Unix socket path, or {@code null} when {@link #file} is used. */
  final String socket;

  final String file;
  final String propertiesFile;
  final long waitMillis;
  final String waitText;
  final boolean failWhenUnavailable;
  final boolean children;
  final boolean configPlaceholders;
  final boolean springRefresh;

  /** {@code pools}: one of {@code Pools.OFF}, {@code FOLLOW}, {@code EVICT_IDLE}. */
  final int pools;

  /** The keys in the order the unknown-option message lists them. */
  private static final String[] KEYS = {
    "socket",
    "file",
    "properties-file",
    "wait",
    "on-unavailable",
    "children",
    "config-placeholders",
    "spring-refresh",
    "pools"
  };

  private Options(Map<String, String> given, Map<String, String> env) {
    failWhenUnavailable = oneOf(given, "on-unavailable", "fail", "env").equals("fail");
    children = flag(given, "children");
    configPlaceholders = flag(given, "config-placeholders");
    springRefresh = flag(given, "spring-refresh");
    String poolMode = oneOf(given, "pools", "follow", "evict-idle", "off");
    pools =
        poolMode.equals("off")
            ? Pools.OFF
            : poolMode.equals("evict-idle") ? Pools.EVICT_IDLE : Pools.FOLLOW;
    String socket = given.get("socket");
    String file = given.get("file");
    if (socket != null && file != null) {
      throw bad("socket and file are exclusive; give one");
    }
    if (socket == null && file == null) {
      String envFile = env.get("BAO_INJECTOR_FILE");
      if (envFile != null && !envFile.isEmpty()) {
        file = envFile;
      } else {
        String envSocket = env.get("BAO_INJECTOR_SOCKET");
        socket = envSocket != null && !envSocket.isEmpty() ? envSocket : DEFAULT_SOCKET;
      }
    }
    propertiesFile = given.get("properties-file");
    if (propertiesFile != null && file == null) {
      throw bad("properties-file needs file=PATH (over the socket, properties come with /v1/env)");
    }
    this.socket = file == null ? socket : null;
    this.file = file;
    waitText = given.get("wait");
    waitMillis = millis(waitText);
  }

  static Options parse(String args, Map<String, String> env) {
    Map<String, String> given = new HashMap<>();
    given.put("wait", "10s");
    given.put("on-unavailable", "fail");
    given.put("children", "true");
    given.put("config-placeholders", "true");
    given.put("spring-refresh", "true");
    given.put("pools", "follow");
    if (args != null && !args.trim().isEmpty()) {
      for (String pair : args.split(",")) {
        int eq = pair.indexOf('=');
        if (eq <= 0 || eq == pair.length() - 1) {
          throw bad("option '" + pair.trim() + "' must be key=value");
        }
        String key = pair.substring(0, eq).trim();
        if (!Arrays.asList(KEYS).contains(key)) {
          throw bad("unknown option '" + key + "'; known: " + String.join(", ", KEYS));
        }
        given.put(key, pair.substring(eq + 1).trim());
      }
    }
    return new Options(given, env);
  }

  private static String oneOf(Map<String, String> given, String key, String... allowed) {
    String value = given.get(key);
    if (!Arrays.asList(allowed).contains(value)) {
      throw bad(key + "=" + value + " is not one of: " + String.join(", ", allowed));
    }
    return value;
  }

  private static boolean flag(Map<String, String> given, String key) {
    return oneOf(given, key, "true", "false").equals("true");
  }

  /**
   * A {@link Durations duration} up to ten years ({@code 500ms}, {@code 10s}, {@code 2m}), or 0.
   */
  static long millis(String text) {
    long ms = text.equals("0") ? 0 : Durations.millis(text, MAX_WAIT_MILLIS);
    if (ms < 0) {
      throw bad("wait=" + text + " is not a duration; use e.g. 500ms, 10s, 2m");
    }
    return ms;
  }

  private static IllegalArgumentException bad(String message) {
    return new IllegalArgumentException(message);
  }
}
