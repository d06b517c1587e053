package io.baoinjector.agent;

import io.baoinjector.agent.bootstrap.Pools;
import io.baoinjector.shared.Durations;
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

  private Options(
      String socket,
      String file,
      String propertiesFile,
      long waitMillis,
      String waitText,
      boolean failWhenUnavailable,
      boolean children,
      boolean configPlaceholders,
      boolean springRefresh,
      int pools) {
    this.socket = socket;
    this.file = file;
    this.propertiesFile = propertiesFile;
    this.waitMillis = waitMillis;
    this.waitText = waitText;
    this.failWhenUnavailable = failWhenUnavailable;
    this.children = children;
    this.configPlaceholders = configPlaceholders;
    this.springRefresh = springRefresh;
    this.pools = pools;
  }

  static Options parse(String args, Map<String, String> env) {
    String socket = null;
    String file = null;
    String propertiesFile = null;
    String waitText = "10s";
    String onUnavailable = "fail";
    String children = "true";
    String placeholders = "true";
    String springRefresh = "true";
    String pools = "follow";
    if (args != null && !args.trim().isEmpty()) {
      for (String pair : args.split(",")) {
        int eq = pair.indexOf('=');
        if (eq <= 0 || eq == pair.length() - 1) {
          throw bad("option '" + pair.trim() + "' must be key=value");
        }
        String key = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        if (key.equals("socket")) {
          socket = value;
        } else if (key.equals("file")) {
          file = value;
        } else if (key.equals("properties-file")) {
          propertiesFile = value;
        } else if (key.equals("wait")) {
          waitText = value;
        } else if (key.equals("on-unavailable")) {
          onUnavailable = value;
        } else if (key.equals("children")) {
          children = value;
        } else if (key.equals("config-placeholders")) {
          placeholders = value;
        } else if (key.equals("spring-refresh")) {
          springRefresh = value;
        } else if (key.equals("pools")) {
          pools = value;
        } else {
          throw bad(
              "unknown option '"
                  + key
                  + "'; known: socket, file, properties-file, wait, on-unavailable, children,"
                  + " config-placeholders, spring-refresh, pools");
        }
      }
    }
    if (!onUnavailable.equals("fail") && !onUnavailable.equals("env")) {
      throw bad("on-unavailable=" + onUnavailable + " is not one of: fail, env");
    }
    if (!children.equals("true") && !children.equals("false")) {
      throw bad("children=" + children + " is not one of: true, false");
    }
    if (!placeholders.equals("true") && !placeholders.equals("false")) {
      throw bad("config-placeholders=" + placeholders + " is not one of: true, false");
    }
    if (!springRefresh.equals("true") && !springRefresh.equals("false")) {
      throw bad("spring-refresh=" + springRefresh + " is not one of: true, false");
    }
    int poolMode = Pools.FOLLOW;
    if (pools.equals("off")) {
      poolMode = Pools.OFF;
    } else if (pools.equals("evict-idle")) {
      poolMode = Pools.EVICT_IDLE;
    } else if (!pools.equals("follow")) {
      throw bad("pools=" + pools + " is not one of: follow, evict-idle, off");
    }
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
    if (propertiesFile != null && file == null) {
      throw bad("properties-file needs file=PATH (over the socket, properties come with /v1/env)");
    }
    return new Options(
        file == null ? socket : null,
        file,
        propertiesFile,
        millis(waitText),
        waitText,
        onUnavailable.equals("fail"),
        children.equals("true"),
        placeholders.equals("true"),
        springRefresh.equals("true"),
        poolMode);
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
