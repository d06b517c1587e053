package io.baoinjector.sidecar.tools;

import io.baoinjector.sidecar.SecretValue;
import io.baoinjector.sidecar.output.socket.RefreshClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bao-injector rotate PATH#KEY}: archive the current version, then write a new value. */
@Command(
    name = "rotate",
    mixinStandardHelpOptions = true,
    description = {
      "Copy the current version of a KV v2 secret to an archive path (default"
          + " MOUNT/archive/PATH/TIMESTAMP, with custom metadata rotated-at, rotated-by,"
          + " previous-version), then write KEY's new value with check-and-set, keeping the other"
          + " keys. Prints the new version, never the value.",
      "It changes the stored value only: changing the password where it is used (the database"
          + " user) is yours.",
      "Example: bao-injector rotate secret/app/db#password --generate 32"
    },
    footer = {"", "Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad config."})
public final class RotateCommand extends ToolCommand {
  static final String ALNUM = "A-Za-z0-9";

  static final class NewValue {
    @Option(
        names = "--value-file",
        paramLabel = "FILE",
        description = "Read the new value from FILE (one trailing newline is dropped).")
    Path file;

    @Option(
        names = "--generate",
        paramLabel = "LEN",
        description = "Generate a random value of LEN characters (SecureRandom).")
    Integer length;
  }

  @Parameters(index = "0", paramLabel = "PATH#KEY", description = "e.g. secret/app/db#password")
  String target;

  @ArgGroup(multiplicity = "1")
  NewValue value;

  @Option(
      names = "--charset",
      paramLabel = "CHARS",
      defaultValue = ALNUM,
      description =
          "Characters for --generate; a-z style ranges allowed (default: ${DEFAULT-VALUE}).")
  String charset;

  @Option(
      names = "--archive-to",
      paramLabel = "PATH",
      description = "Archive under PATH/<path in its mount>/TIMESTAMP instead (any KV v2 mount).")
  String archiveTo;

  @Option(
      names = "--socket",
      paramLabel = "PATH",
      description = "Then ask the sidecar on this socket to refresh now (POST /v1/refresh).")
  Path socket;

  /** With the invocation's environment (the command line hands in its own). */
  public RotateCommand(Map<String, String> env) {
    super(env);
  }

  @Override
  int execute(PrintWriter out, PrintWriter err) {
    int hash = target.lastIndexOf('#');
    if (hash <= 0 || hash == target.length() - 1) {
      throw ToolFailure.usage(
          KvWriter.shown(target) + ": name the key, like secret/app/db#password");
    }
    KvWriter.checkPath("", target.substring(0, hash));
    if (archiveTo != null) {
      KvWriter.checkPath("--archive-to", archiveTo);
    }
    SecretValue v = value.file != null ? readValue(value.file) : generate(value.length, charset);
    try (Connection c = connect()) {
      new Rotation(c.kv, dryRun, hook)
          .run(
              target.substring(0, hash),
              target.substring(hash + 1),
              v,
              archiveTo,
              c.identity(),
              Instant.now(),
              out);
    }
    if (socket != null && !dryRun) {
      return refresh(out, err);
    }
    return 0;
  }

  private int refresh(PrintWriter out, PrintWriter err) {
    RefreshClient.Answer a;
    try {
      a = RefreshClient.send(socket, null);
    } catch (IOException e) {
      err.println(
          ("bao-injector: rotated, but cannot reach the sidecar at %s to refresh (%s); it picks the"
                  + " new value up at its next refresh")
              .formatted(socket, e.getMessage()));
      return 1;
    }
    if (a.status() == 404 || a.status() == 405) {
      err.println(
          "bao-injector: the sidecar at "
              + socket
              + " does not support refresh yet; it picks the new value up at its next refresh");
      return 0;
    }
    Matcher m = Pattern.compile("\"revision\"\\s*:\\s*(\\d+)").matcher(a.body());
    if (a.status() == 200) {
      out.println("sidecar refreshed" + (m.find() ? ": revision " + m.group(1) : ""));
      return 0;
    }
    err.println(
        ("bao-injector: rotated, but the sidecar at %s answered HTTP %s to refresh; it picks the"
                + " new value up at its next refresh")
            .formatted(socket, a.status()));
    return 1;
  }

  static SecretValue readValue(Path file) {
    String s = readText(file, "--value-file", "a value");
    // an editor's line ending, not part of the value: one \r\n (Windows) or \n
    if (s.endsWith("\r\n")) {
      s = s.substring(0, s.length() - 2);
    } else if (s.endsWith("\n")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.isEmpty()) {
      throw ToolFailure.usage(
          "--value-file " + file + ": the file is empty; write the value into it");
    }
    return SecretValue.of(s);
  }

  static SecretValue generate(int length, String charset) {
    if (length < 1 || length > 4096) {
      throw ToolFailure.usage("--generate " + length + ": the length must be 1 to 4096");
    }
    int[] chars = expand(charset).codePoints().toArray();
    SecureRandom r = new SecureRandom();
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.appendCodePoint(chars[r.nextInt(chars.length)]);
    }
    return SecretValue.of(b.toString());
  }

  /**
   * {@code A-Za-z0-9_} → the characters; a {@code -} first or last is itself. A control character
   * or a surrogate code point (which no UTF-8 or JSON text can carry) is refused.
   */
  static String expand(String spec) {
    StringBuilder b = new StringBuilder();
    BitSet seen = new BitSet();
    int[] cps = spec.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int from = cps[i];
      int to = from;
      if (i + 2 < cps.length && cps[i + 1] == '-') {
        to = cps[i + 2];
        if (to < from) {
          throw ToolFailure.usage(
              "--charset: the range " + new String(cps, i, 3) + " is backwards");
        }
        i += 2;
      }
      for (int c = from; c <= to; c++) {
        if (Character.isISOControl(c)) {
          throw ToolFailure.usage(
              "--charset: " + codePoint(c) + " is a control character; leave it out");
        }
        if (Character.getType(c) == Character.SURROGATE) {
          throw ToolFailure.usage(
              "--charset: " + codePoint(c) + " is a surrogate, not a character; keep ranges short");
        }
        if (!seen.get(c)) {
          seen.set(c);
          b.appendCodePoint(c);
        }
      }
    }
    if (seen.cardinality() < 2) {
      throw ToolFailure.usage("--charset: give at least two characters, like " + ALNUM);
    }
    return b.toString();
  }

  private static String codePoint(int c) {
    return String.format(Locale.ROOT, "U+%04X", c);
  }
}
