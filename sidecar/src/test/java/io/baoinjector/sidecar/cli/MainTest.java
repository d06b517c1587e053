package io.baoinjector.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.config.ConfigException;
import io.baoinjector.sidecar.config.Fixtures;
import io.baoinjector.sidecar.config.MaskSettings;
import io.baoinjector.sidecar.config.SidecarConfig;
import io.baoinjector.sidecar.output.OnChange;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing, exit codes, the handler seam, and what reaches stderr. */
class MainTest {
  private static final String CONFIG = Fixtures.dir("good-config").resolve("full.yaml").toString();
  private static final Map<String, String> ENV = Map.of();

  /** Records what each command was handed. */
  static final class Recording implements CommandHandlers {
    final List<String> calls = new ArrayList<>();
    SidecarConfig config;
    ExecRequest exec;
    EnvFormat format;
    CommandContext ctx;
    Path socket;
    java.time.Duration wait;
    RuntimeException toThrow;
    int exit = 0;

    private int record(CommandContext ctx, String call, SidecarConfig config) {
      this.ctx = ctx;
      this.config = config;
      calls.add(call);
      if (toThrow != null) {
        throw toThrow;
      }
      return exit;
    }

    @Override
    public int run(CommandContext ctx, SidecarConfig config) {
      return record(ctx, "run", config);
    }

    @Override
    public int render(CommandContext ctx, SidecarConfig config) {
      return record(ctx, "render", config);
    }

    @Override
    public int exec(CommandContext ctx, SidecarConfig config, ExecRequest request) {
      exec = request;
      return record(ctx, "exec", config);
    }

    @Override
    public int env(CommandContext ctx, SidecarConfig config, EnvFormat format) {
      this.format = format;
      return record(ctx, "env", config);
    }

    @Override
    public int checkOnline(CommandContext ctx, SidecarConfig config) {
      return record(ctx, "checkOnline", config);
    }

    @Override
    public int refresh(CommandContext ctx, Path socket, java.time.Duration wait) {
      this.socket = socket;
      this.wait = wait;
      return record(ctx, "refresh", null);
    }

    @Override
    public int get(CommandContext ctx, String name, Path socket) {
      this.socket = socket;
      return record(ctx, "get " + name, null);
    }
  }

  @Test
  void eachCommandReachesItsHandlerWithTheLoadedConfig() {
    for (String cmd : List.of("run", "render", "env")) {
      Recording h = new Recording();
      h.exit = 7;
      Cli r = Cli.run(ENV, h, cmd, "-c", CONFIG);
      assertEquals(7, r.exit, "the handler's exit code is the process's");
      assertEquals(List.of(cmd), h.calls);
      assertEquals(Path.of(CONFIG), h.config.source());
      assertEquals(5, h.config.secrets().size());
    }
  }

  @Test
  void envFormats() {
    Recording h = new Recording();
    Cli.run(ENV, h, "env", "-c", CONFIG);
    assertEquals(EnvFormat.EXPORT, h.format, "default");
    for (EnvFormat f : EnvFormat.values()) {
      Cli.run(ENV, h, "env", "-c", CONFIG, "--format", f.cliName());
      assertEquals(f, h.format);
    }
  }

  @Test
  void execTakesTheCommandAfterDashDash() {
    Recording h = new Recording();
    Cli r =
        Cli.run(
            ENV,
            h,
            "exec",
            "-c",
            CONFIG,
            "--pass-env",
            "BAO_TOKEN",
            "--pass-env",
            "BAO_ADDR",
            "--on-change",
            "signal:HUP",
            "--",
            "java",
            "-jar",
            "app.jar",
            "--port",
            "8080");
    assertEquals(0, r.exit, r.toString());
    assertEquals(List.of("java", "-jar", "app.jar", "--port", "8080"), h.exec.command());
    assertEquals(List.of("BAO_TOKEN", "BAO_ADDR"), h.exec.passEnv());
    assertEquals(new OnChange(OnChange.Action.SIGNAL, "HUP"), h.exec.onChange());
  }

  @Test
  void execWithoutDashDashStopsAtTheCommand() {
    Recording h = new Recording();
    Cli r = Cli.run(ENV, h, "exec", "-c", CONFIG, "ls", "-la", "--on-change", "restart");
    assertEquals(0, r.exit, r.toString());
    assertEquals(List.of("ls", "-la", "--on-change", "restart"), h.exec.command());
    assertEquals(OnChange.NONE, h.exec.onChange());
    assertEquals(List.of(), h.exec.passEnv());
  }

  @Test
  void onChangeParsing() {
    assertEquals(new OnChange(OnChange.Action.RESTART, null), OnChange.parse("restart"));
    assertEquals(new OnChange(OnChange.Action.SIGNAL, "USR1"), OnChange.parse("signal:SIGUSR1"));
    assertEquals(OnChange.NONE, OnChange.parse("none"));
    assertThrows(IllegalArgumentException.class, () -> OnChange.parse("signal:KILLALL"));
    assertThrows(IllegalArgumentException.class, () -> OnChange.parse("reload"));
  }

  @Test
  void getDefaultsItsSocketFromTheEnvironment() {
    Recording h = new Recording();
    Cli.run(Map.of(), h, "get", "DB_PASSWORD");
    assertEquals(List.of("get DB_PASSWORD"), h.calls);
    assertEquals(Path.of("/run/bao-injector/agent.sock"), h.socket);

    Cli.run(Map.of("BAO_INJECTOR_SOCKET", "/tmp/s.sock"), h, "get", "X");
    assertEquals(Path.of("/tmp/s.sock"), h.socket);

    Cli.run(Map.of("BAO_INJECTOR_SOCKET", "/tmp/s.sock"), h, "get", "X", "--socket", "/a.sock");
    assertEquals(Path.of("/a.sock"), h.socket);
  }

  @Test
  void refreshTakesItsSocketAndAWait() {
    Recording h = new Recording();
    Cli.run(Map.of("BAO_INJECTOR_SOCKET", "/tmp/s.sock"), h, "refresh");
    assertEquals(List.of("refresh"), h.calls);
    assertEquals(Path.of("/tmp/s.sock"), h.socket);
    assertEquals(null, h.wait, "the sidecar's default");

    Cli.run(Map.of(), h, "refresh", "--socket", "/a.sock", "--wait", "500ms");
    assertEquals(Path.of("/a.sock"), h.socket);
    assertEquals(java.time.Duration.ofMillis(500), h.wait);

    Cli.run(Map.of(), h, "refresh", "--wait", "5m");
    assertEquals(java.time.Duration.ofSeconds(60), h.wait, "capped at the sidecar's maximum");

    Cli r = Cli.run(Map.of(), h, "refresh", "--wait", "soon");
    assertEquals(2, r.exit);
    assertEquals(
        "bao-injector: Invalid value for option '--wait': wait: expected a duration such as 30s,"
            + " 500ms or 2m, got 'soon'\nTry 'bao-injector refresh --help' for usage.\n",
        r.err);
  }

  @Test
  void refreshWithoutASidecarIsOneLine(@TempDir Path dir) {
    Path socket = dir.resolve("none.sock");
    Cli r = Cli.run(ENV, CommandHandlers.SIDECAR, "refresh", "--socket", socket.toString());
    assertEquals(1, r.exit);
    assertEquals("", r.out);
    assertTrue(
        r.err.startsWith("bao-injector: refresh: cannot reach the sidecar at " + socket + ": "),
        r.err);
    assertEquals(1, r.err.lines().count(), r.err);
  }

  @Test
  void checkOnlineRunsAfterTheOfflineSummary() {
    Recording h = new Recording();
    Cli r = Cli.run(ENV, h, "check", "-c", CONFIG);
    assertEquals(List.of(), h.calls, "offline check needs no handler");
    assertEquals(0, r.exit);
    r = Cli.run(ENV, h, "check", "--online", "-c", CONFIG);
    assertEquals(List.of("checkOnline"), h.calls);
    assertTrue(r.out.startsWith(CONFIG + ": ok\n"), r.out);
  }

  @Test
  void withoutHandlersTheRealCommandsRun(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path socket = dir.resolve("none.sock");
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = Main.run(new String[] {"get", "X", "--socket", socket.toString()}, ENV, o, e);
    }
    assertEquals(1, exit);
    assertEquals("", out.toString(StandardCharsets.UTF_8));
    assertTrue(
        err.toString(StandardCharsets.UTF_8)
            .startsWith("bao-injector: get: cannot reach the sidecar at " + socket + ": "),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theConfigIsLoadedBeforeAnyHandlerRuns() {
    Recording h = new Recording();
    Path bad = Fixtures.dir("bad-config").resolve("unknown-top-key.yaml");
    Cli r = Cli.run(ENV, h, "run", "-c", bad.toString());
    assertEquals(2, r.exit);
    assertEquals("bao-injector: " + Fixtures.expectedMessage(bad) + "\n", r.err);
    assertEquals(List.of(), h.calls);
  }

  @Test
  void unexpectedFailureIsOneLineAndExit1() {
    Recording h = new Recording();
    h.toThrow = new IllegalStateException("login failed: permission denied\n(more detail)");
    Cli r = Cli.run(ENV, h, "run", "-c", CONFIG);
    assertEquals(1, r.exit);
    assertEquals("bao-injector: login failed: permission denied (more detail)\n", r.err);

    h.toThrow = new NullPointerException();
    r = Cli.run(ENV, h, "render", "-c", CONFIG);
    assertEquals("bao-injector: NullPointerException\n", r.err);
  }

  @Test
  void debugShowsTheStackTrace() {
    Recording h = new Recording();
    h.toThrow = new IllegalStateException("boom");
    Cli r = Cli.run(ENV, h, "run", "--debug", "-c", CONFIG);
    assertEquals(1, r.exit);
    assertTrue(r.err.startsWith("bao-injector: boom\n"), r.err);
    assertTrue(r.err.contains("\tat "), r.err);
    assertTrue(h.ctx.debug());

    r = Cli.run(Map.of("BAO_INJECTOR_DEBUG", "1"), h, "run", "-c", CONFIG);
    assertTrue(r.err.contains("\tat "), r.err);

    r = Cli.run(ENV, h, "--debug", "run", "-c", CONFIG);
    assertTrue(r.err.contains("\tat "), "--debug before the command works too: " + r.err);
  }

  @Test
  void aConfigExceptionFromAHandlerExits2() {
    Recording h = new Recording();
    h.toThrow =
        new ConfigException("sidecar.yaml", 3, "auth.role", "role \"x\" not found", "fix it");
    Cli r = Cli.run(ENV, h, "run", "-c", CONFIG);
    assertEquals(2, r.exit);
    assertEquals("bao-injector: sidecar.yaml:3: auth.role: role \"x\" not found (fix it)\n", r.err);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "check --bogus",
        "env --format yaml",
        "exec --on-change reload -- true",
        "exec",
        "get",
        "frob",
        "check extra",
        ""
      })
  void usageErrorsAreTwoLinesAndExit2(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");
    Cli r = Cli.run(ENV, args);
    assertEquals(2, r.exit, r.toString());
    List<String> lines = r.err.lines().toList();
    assertEquals(2, lines.size(), r.err);
    assertTrue(lines.get(0).startsWith("bao-injector: "), r.err);
    assertTrue(lines.get(1).startsWith("Try 'bao-injector"), r.err);
    assertTrue(lines.get(1).contains("--help"), r.err);
    assertEquals("", r.out);
  }

  @Test
  void execTakesMaskAndJitter() {
    Recording h = new Recording();
    Cli r =
        Cli.run(
            ENV,
            h,
            "exec",
            "-c",
            CONFIG,
            "--on-change",
            "restart",
            "--jitter",
            "1m30s",
            "--mask",
            "--mask-min-length",
            "8",
            "--",
            "true");
    assertEquals(0, r.exit, r.toString());
    assertEquals(java.time.Duration.ofSeconds(90), h.exec.jitter());
    assertTrue(h.exec.mask());
    assertEquals(8, h.exec.maskMinLength());
    Cli.run(ENV, h, "exec", "-c", CONFIG, "--", "true");
    assertEquals(null, h.exec.jitter());
    assertFalse(h.exec.mask());
    assertEquals(null, h.exec.maskMinLength(), "the config's mask.min-length then");
  }

  @Test
  void maskOptionsWinOverTheConfigsMask() {
    List<String> cmd = List.of("true");
    ExecRequest none = new ExecRequest(cmd, List.of(), OnChange.NONE, null, false, null);
    assertEquals(
        java.util.OptionalInt.empty(), none.options(MaskSettings.OFF).maskMinLength(), "off");
    assertEquals(
        java.util.OptionalInt.of(8), none.options(new MaskSettings(true, 8)).maskMinLength());
    ExecRequest flags =
        new ExecRequest(cmd, List.of(), OnChange.RESTART, Duration.ofSeconds(30), true, 3);
    assertEquals(
        java.util.OptionalInt.of(3), flags.options(new MaskSettings(false, 8)).maskMinLength());
    assertEquals(Duration.ofSeconds(30), flags.options(MaskSettings.OFF).jitter().max());
    ExecRequest mask = new ExecRequest(cmd, List.of(), OnChange.NONE, null, true, null);
    assertEquals(java.util.OptionalInt.of(6), mask.options(MaskSettings.OFF).maskMinLength());
    assertTrue(mask.options(MaskSettings.OFF).jitter().isNone());
  }

  @Test
  void jitterWithoutRestartAndABadMinLengthAreUsageErrors() {
    Recording h = new Recording();
    Cli r = Cli.run(ENV, h, "exec", "-c", CONFIG, "--jitter", "30s", "--", "true");
    assertEquals(2, r.exit);
    assertEquals(
        "bao-injector: --jitter: only with --on-change restart\n"
            + "Try 'bao-injector exec --help' for usage.\n",
        r.err);
    r = Cli.run(ENV, h, "exec", "-c", CONFIG, "--mask", "--mask-min-length", "0", "--", "true");
    assertEquals(2, r.exit);
    assertTrue(r.err.startsWith("bao-injector: --mask-min-length: must be at least 1\n"), r.err);
    r =
        Cli.run(
            ENV, h, "exec", "-c", CONFIG, "--on-change", "restart", "--jitter", "0s", "--", "true");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("'0s' is not a duration above zero, like 30s or 2m"), r.err);
    assertEquals(List.of(), h.calls);
  }

  @Test
  void passEnvMustNameAVariable() {
    Recording h = new Recording();
    Cli r = Cli.run(ENV, h, "exec", "-c", CONFIG, "--pass-env", "BAO TOKEN", "--", "true");
    assertEquals(2, r.exit);
    assertEquals(
        "bao-injector: --pass-env: 'BAO TOKEN' is not an environment variable name\n"
            + "Try 'bao-injector exec --help' for usage.\n",
        r.err);
    assertEquals(List.of(), h.calls);
  }

  @Test
  void usageMessages() {
    assertEquals(
        "bao-injector: unknown command 'chek' (did you mean check?)\n"
            + "Try 'bao-injector --help' for usage.\n",
        Cli.run(ENV, "chek").err);
    assertEquals(
        "bao-injector: Invalid value for option '--format': expected export, dotenv or json, got"
            + " 'yaml'\nTry 'bao-injector env --help' for usage.\n",
        Cli.run(ENV, "env", "--format", "yaml").err);
    assertEquals(
        "bao-injector: Missing required parameter: 'CMD'\n"
            + "Try 'bao-injector exec --help' for usage.\n",
        Cli.run(ENV, "exec", "-c", CONFIG).err);
  }

  @ParameterizedTest
  @ValueSource(strings = {"run", "render", "exec", "env", "check", "get", "refresh"})
  void everyCommandHasHelp(String command) {
    Cli r = Cli.run(ENV, command, "--help");
    assertEquals(0, r.exit);
    assertTrue(r.out.startsWith("Usage: bao-injector " + command), r.out);
    assertTrue(r.out.contains("--help"), r.out);
    assertEquals("", r.err);
    if (!command.equals("get") && !command.equals("refresh")) {
      assertTrue(r.out.contains("-c, --config=FILE"), r.out);
    }
  }

  @Test
  void topLevelHelpListsTheCommandsAndExitCodes() {
    Cli r = Cli.run(ENV, "--help");
    assertEquals(0, r.exit);
    for (String c : List.of("run", "render", "exec", "env", "check", "get", "refresh")) {
      assertTrue(r.out.contains("\n  " + c + " "), c + " in\n" + r.out);
    }
    assertTrue(r.out.contains("Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad config."));
  }

  @Test
  void version() {
    Cli r = Cli.run(ENV, "--version");
    assertEquals(0, r.exit);
    assertTrue(r.out.startsWith("bao-injector "), r.out);
    assertEquals(1, r.out.lines().count());
  }
}
