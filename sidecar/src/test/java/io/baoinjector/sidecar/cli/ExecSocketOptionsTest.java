package io.baoinjector.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.baoinjector.sidecar.config.Fixtures;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.output.OnChange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code exec --socket}: parsing, and the combinations refused with one line and exit 2. */
class ExecSocketOptionsTest {
  private static final String CONFIG = Fixtures.dir("good-config").resolve("full.yaml").toString();

  /** Records which exec was asked for; a config-driven one must not load a config here. */
  static final class Recording implements CommandHandlers {
    SocketExecRequest fromSocket;
    ExecRequest fromConfig;

    @Override
    public int exec(CommandContext ctx, SidecarConfig config, ExecRequest request) {
      fromConfig = request;
      return 0;
    }

    @Override
    public int execFromSocket(CommandContext ctx, SocketExecRequest request) {
      fromSocket = request;
      return 5;
    }
  }

  @Test
  void socketNeedsNoConfigAndTakesOnlyWaitAndTheExecOptions() {
    Recording h = new Recording();
    Cli r =
        Cli.run(
            Map.of(),
            h,
            "exec",
            "--socket",
            "/run/x/agent.sock",
            "--only",
            "DB_USER,DB_PASSWORD",
            "--only",
            "API_KEY",
            "--wait",
            "2500ms",
            "--on-change",
            "restart",
            "--pass-env",
            "BAO_ADDR",
            "--",
            "sh",
            "-c",
            "echo hi");
    assertEquals(5, r.exit, "the handler's exit code: " + r);
    assertNull(h.fromConfig);
    SocketExecRequest s = h.fromSocket;
    assertEquals(Path.of("/run/x/agent.sock"), s.socket());
    assertEquals(List.of("DB_USER", "DB_PASSWORD", "API_KEY"), s.only());
    assertEquals(Duration.ofMillis(2500), s.startupWait());
    assertEquals(List.of("sh", "-c", "echo hi"), s.exec().command());
    assertEquals(List.of("BAO_ADDR"), s.exec().passEnv());
    assertEquals(OnChange.RESTART, s.exec().onChange());
  }

  @Test
  void defaults() {
    Recording h = new Recording();
    Cli.run(Map.of(), h, "exec", "--socket", "s.sock", "--", "true");
    assertEquals(List.of(), h.fromSocket.only());
    assertEquals(Duration.ofSeconds(10), h.fromSocket.startupWait());
    assertEquals(OnChange.NONE, h.fromSocket.exec().onChange());
    Cli.run(Map.of(), h, "exec", "--socket", "s.sock", "--wait", "0", "--", "true");
    assertEquals(Duration.ZERO, h.fromSocket.startupWait());
  }

  @Test
  void withoutSocketExecReadsTheConfigAsBefore() {
    Recording h = new Recording();
    assertEquals(0, Cli.run(Map.of(), h, "exec", "-c", CONFIG, "--", "true").exit);
    assertEquals(List.of("true"), h.fromConfig.command());
    assertNull(h.fromSocket);
  }

  @Test
  void socketAndConfigExcludeEachOther() {
    for (String c : List.of("-c", "--config")) {
      Cli r = Cli.run(Map.of(), "exec", "--socket", "s.sock", c, CONFIG, "--", "true");
      assertEquals(2, r.exit, r.toString());
      assertEquals(
          "bao-injector: --socket and -c/--config exclude each other: with --socket the values"
              + " come from the running sidecar (drop -c), with -c exec logs in itself (drop"
              + " --socket)\nTry 'bao-injector exec --help' for usage.\n",
          r.err);
    }
  }

  @Test
  void onlyAndWaitGoWithSocket() {
    for (String option : List.of("--only", "--wait")) {
      Cli r = Cli.run(Map.of(), "exec", "-c", CONFIG, option, "5s", "--", "true");
      assertEquals(2, r.exit, r.toString());
      assertEquals(
          "bao-injector: "
              + option
              + " goes with --socket (with -c, the config's secrets: name the values)\n"
              + "Try 'bao-injector exec --help' for usage.\n",
          r.err);
    }
  }

  @Test
  void badOnlyNameAndBadWaitAreUsageErrors() {
    assertUsage(
        "--only: 'DB PASSWORD' is not an environment variable name", "--only", "DB PASSWORD");
    assertUsage(
        "Invalid value for option '--wait': \"soon\" is not a duration (e.g. 500ms, 10s, 2m or 0)",
        "--wait",
        "soon");
    assertUsage(
        "Invalid value for option '--wait': \"25h\" is too large; the most is 24h",
        "--wait",
        "25h");
  }

  /** {@code exec --socket s.sock OPTION VALUE -- true} is {@code problem} on one line, exit 2. */
  private static void assertUsage(String problem, String option, String value) {
    Cli r = Cli.run(Map.of(), "exec", "--socket", "s.sock", option, value, "--", "true");
    assertEquals(2, r.exit, r.toString());
    assertEquals(
        "bao-injector: " + problem + "\nTry 'bao-injector exec --help' for usage.\n", r.err);
  }
}
