package io.baoinjector.sidecar.tools.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.cli.CommandHandlers;
import io.baoinjector.sidecar.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two commands through the real command line: help, and usage mistakes as one line, exit 2. */
class PolicyCommandsTest {
  record Out(int exit, String out, String err) {}

  static Out main(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            args,
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new CommandHandlers() {});
    return new Out(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A valid config whatever the machine's environment (its own token file, no ~/.vault-token). */
  static void writeConfig(Path cfg) throws Exception {
    Path token = cfg.resolveSibling("token");
    Files.writeString(token, "unused");
    Files.writeString(
        cfg,
        "openbao:\n  address: http://127.0.0.1:1\nauth:\n  method: token\n  token-file: "
            + token
            + "\nsecrets:\n  A: secret/a#k\n");
  }

  /** {@code approle-setup --role app -c CFG --out DIR EXTRA…}. */
  static Out setup(Path cfg, Path dir, String... extra) {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "approle-setup", "--role", "app", "-c", cfg.toString(), "--out", dir.toString()));
    args.addAll(java.util.List.of(extra));
    return main(args.toArray(String[]::new));
  }

  @Test
  void helpListsEveryOption() {
    Out p = main("policy", "--help");
    assertEquals(0, p.exit(), p.err());
    assertTrue(p.out().contains("--config=FILE"), p.out());
    Out a = main("approle-setup", "--help");
    assertEquals(0, a.exit(), a.err());
    for (String o :
        new String[] {
          "--role=NAME", "--out=DIR", "--token-ttl=TTL", "--token-max-ttl=TTL",
              "--secret-id-ttl=TTL",
          "--secret-id-uses=N", "--wrap-ttl=TTL", "--no-wrap", "--policy-name=NAME", "--dry-run",
          "--force", "--no-default-policy"
        }) {
      assertTrue(a.out().contains(o), o + " in:\n" + a.out());
    }
  }

  @Test
  void usageMistakesAreOneLineAndExitTwo(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("sidecar.yaml");
    writeConfig(cfg);
    Out missing = main("approle-setup", "-c", cfg.toString(), "--out", dir.toString());
    assertEquals(2, missing.exit(), missing.err());
    assertTrue(
        missing.err().startsWith("bao-injector: Missing required option: '--role=NAME'\n"),
        missing.err());
    Out ttl = setup(cfg, dir, "--token-ttl", "1 hour");
    assertEquals(2, ttl.exit(), ttl.err());
    assertTrue(
        ttl.err()
            .startsWith(
                "bao-injector: --token-ttl: '1 hour' is not a duration (e.g. 90s, 15m, 1h, 7d)\n"),
        ttl.err());
    Out both = setup(cfg, dir, "--no-wrap", "--wrap-ttl", "5m");
    assertEquals(2, both.exit(), both.err());
    assertTrue(both.err().contains("--wrap-ttl and --no-wrap exclude each other"), both.err());
    Out role =
        main("approle-setup", "--role", "../x", "-c", cfg.toString(), "--out", dir.toString());
    assertEquals(2, role.exit(), role.err());
    Out noConfig = main("policy", "-c", dir.resolve("nope.yaml").toString());
    assertEquals(2, noConfig.exit(), noConfig.err());
    assertEquals(1, noConfig.err().split("\n").length, noConfig.err());
    assertFalse(noConfig.err().contains("\tat "), noConfig.err());
  }

  @Test
  void anExistingFileOrSymlinkIsRefusedBeforeOpenBaoIsAsked(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("sidecar.yaml");
    writeConfig(cfg);
    Files.createSymbolicLink(dir.resolve("secret-id"), dir.resolve("elsewhere"));
    Out r = setup(cfg, dir, "--force");
    assertEquals(2, r.exit(), r.err());
    assertEquals(
        "bao-injector: "
            + dir.resolve("secret-id")
            + " is a symlink; refusing to write through it\n",
        r.err());
    assertFalse(Files.exists(dir.resolve("elsewhere")));
  }
}
