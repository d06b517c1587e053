package io.baoinjector.sidecar.tools;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs a tool command in-process and keeps what it printed. */
public record Tools(int exit, String out, String err) {

  /** {@code command}: a picocli command object, as the CLI would build it. */
  public static Tools run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Tools(exit, out.toString(), err.toString());
  }

  static Map<String, String> env(String address, String token) {
    Map<String, String> env = new HashMap<>();
    env.put("BAO_ADDR", address);
    env.put("BAO_TOKEN", token);
    return env;
  }

  /** Writes the policy with the {@code bao} CLI and returns a token that has only it. */
  static String tokenWithPolicy(io.baoinjector.testkit.OpenBao bao, String name, Path hcl) {
    bao.cli("policy", "write", name, hcl.toString());
    return bao.createToken(Map.of("policies", List.of(name)));
  }

  /** What {@code bash -c 'set -a; . FILE; env -0'} exports, for the given names. */
  static Map<String, String> bash(Path file, Iterable<String> names) throws Exception {
    Process p =
        new ProcessBuilder(
                List.of("env", "-i", "bash", "-c", "set -a; . \"$0\"; env -0", file.toString()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(all);
    }
    if (p.waitFor() != 0) {
      throw new AssertionError("bash failed");
    }
    Map<String, String> env = new HashMap<>();
    for (String e : all.toString(StandardCharsets.UTF_8).split("\0")) {
      int eq = e.indexOf('=');
      if (eq > 0) {
        env.put(e.substring(0, eq), e.substring(eq + 1));
      }
    }
    Map<String, String> picked = new LinkedHashMap<>();
    for (String n : names) {
      picked.put(n, env.get(n));
    }
    return picked;
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
  }
}
