package io.baoinjector.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of the Dockerfile syntax for the tests: comments, backslash continuations,
 * instructions, exec form (JSON arrays), {@code ARG}/{@code ENV} defaults and {@code ${VAR}}
 * substitution. No parser directives other than the default escape character are supported: the
 * constructor refuses {@code # escape=}.
 */
final class Dockerfile {
  record Instruction(String keyword, String args) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern VAR =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

  private final Path file;
  private final List<Instruction> instructions = new ArrayList<>();

  Dockerfile(Path file) {
    this.file = file;
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    StringBuilder logical = new StringBuilder();
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.toLowerCase().startsWith("# escape=")) {
        throw new IllegalArgumentException(file + ": the escape directive is not supported here");
      }
      // Docker drops comment lines and empty lines, also inside a continued instruction.
      if (trimmed.startsWith("#") || trimmed.isEmpty()) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      logical.append(trimmed);
      add(logical.toString());
      logical.setLength(0);
    }
    if (logical.length() > 0) {
      throw new IllegalArgumentException(file + ": ends inside a continued instruction");
    }
  }

  private void add(String line) {
    String[] parts = line.split("\\s+", 2);
    instructions.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
  }

  Path file() {
    return file;
  }

  List<Instruction> all() {
    return List.copyOf(instructions);
  }

  List<String> all(String keyword) {
    return instructions.stream()
        .filter(i -> i.keyword().equals(keyword))
        .map(Instruction::args)
        .toList();
  }

  /** The last instruction of that kind (the one that takes effect), or null. */
  String last(String keyword) {
    List<String> found = all(keyword);
    return found.isEmpty() ? null : found.get(found.size() - 1);
  }

  /** The JSON array of an exec-form instruction; throws when it is in shell form. */
  static List<String> execForm(String args) {
    try {
      JsonNode node = JSON.readTree(args);
      if (node == null || !node.isArray()) {
        throw new IllegalArgumentException("not exec form (a JSON array): " + args);
      }
      return Repo.texts(node);
    } catch (IOException e) {
      throw new IllegalArgumentException("not exec form (a JSON array): " + args, e);
    }
  }

  /** {@code ARG NAME=default} values, in order. */
  Map<String, String> argDefaults() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String arg : all("ARG")) {
      String[] kv = arg.split("=", 2);
      out.put(kv[0].strip(), kv.length > 1 ? unquote(kv[1].strip()) : "");
    }
    return out;
  }

  /** {@code ENV NAME=value} pairs (one pair per instruction, as written in these files). */
  Map<String, String> env() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String env : all("ENV")) {
      String[] kv = env.split("=", 2);
      if (kv.length != 2 || kv[0].contains(" ")) {
        throw new IllegalArgumentException(file + ": write ENV as NAME=value: " + env);
      }
      out.put(kv[0].strip(), unquote(kv[1].strip()));
    }
    return out;
  }

  /** {@code ${VAR}} and {@code $VAR} replaced by ARG defaults and ENV values. */
  String substitute(String text) {
    Map<String, String> vars = new LinkedHashMap<>(argDefaults());
    vars.putAll(env());
    Matcher m = VAR.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      String value = vars.get(name);
      if (value == null) {
        throw new IllegalArgumentException(file + ": undefined variable " + name + " in " + text);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The command of HEALTHCHECK, options (--interval=...) removed; null without HEALTHCHECK. */
  String healthcheckCommand() {
    String hc = last("HEALTHCHECK");
    if (hc == null) {
      return null;
    }
    String rest = hc.strip();
    while (rest.startsWith("--")) {
      rest = rest.split("\\s+", 2)[1];
    }
    if (!rest.startsWith("CMD ")) {
      throw new IllegalArgumentException(file + ": HEALTHCHECK without CMD: " + hc);
    }
    return rest.substring("CMD ".length()).strip();
  }

  /** The options of HEALTHCHECK, e.g. {@code interval -> 5s}. */
  Map<String, String> healthcheckOptions() {
    Map<String, String> out = new LinkedHashMap<>();
    String hc = last("HEALTHCHECK");
    for (String token : hc.strip().split("\\s+")) {
      if (!token.startsWith("--")) {
        break;
      }
      String[] kv = token.substring(2).split("=", 2);
      out.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    return out;
  }

  /** COPY sources and destination: {@code [src..., dest]}, flags (--chown=...) removed. */
  static List<String> copyOperands(String args) {
    List<String> words = new ArrayList<>();
    for (String w : args.strip().split("\\s+")) {
      if (words.isEmpty() && w.startsWith("--")) {
        continue;
      }
      words.add(w);
    }
    return words;
  }

  private static String unquote(String s) {
    if (s.length() >= 2
        && ((s.startsWith("\"") && s.endsWith("\"")) || (s.startsWith("'") && s.endsWith("'")))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}
